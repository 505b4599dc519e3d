import { ConfigError, loadConfig } from '../config';

describe('configuration is parsed once, with development defaults that production refuses', () => {
  it('development falls back to defaults and says which', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.defaultsUsed).toEqual(expect.arrayContaining(['PORT', 'JWT_SECRET', 'ADMIN_TOKEN', 'REDIS_URL']));
    expect(c.diamondRate).toEqual({ num: 1, den: 2 });
  });

  it('production refuses to start on development defaults', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        PORT: '80',
        REDIS_URL: 'redis://r:6379',
        ADMIN_TOKEN: 'a-real-admin-token',
      }),
    ).toThrow(/JWT_SECRET/);
  });

  it('production starts with real values', () => {
    const c = loadConfig({
      NODE_ENV: 'production',
      PORT: '8080',
      REDIS_URL: 'redis://r:6379',
      JWT_SECRET: 'x'.repeat(40),
      ADMIN_TOKEN: 'a-real-admin-token',
    });
    expect(c.defaultsUsed).toEqual([]);
    expect(c.port).toBe(8080);
  });

  it('bad values are named', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DIAMOND_RATE: '3/2' })).toThrow(/DIAMOND_RATE/);
  });
});
