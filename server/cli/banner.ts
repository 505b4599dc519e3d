import type { Config } from '../../shared/config';

/** What `npm start` prints once the server is ready: enough for a newcomer's first five minutes. */
export function banner(config: Config, ready: boolean): string[] {
  const base = config.publicUrl ?? `http://localhost:${config.port}`;
  const lines = [
    ready ? `Giftwire is ready at ${base}` : `Giftwire is starting at ${base} (not ready yet: see the log above)`,
    `  demo:     ${base}/   (sign in, go live, send gifts; a viewer page opens at ${base}/watch/<streamId>)`,
    `  overlay:  on the demo page, "Create overlay URL"; or POST ${base}/v1/overlay-key with a creator's token`,
    `            (the answer's overlayUrl is the OBS browser source; see docs/overlay.md)`,
    `  health:   ${base}/health/ready    API reference: docs/API.md`,
  ];
  if (config.defaultsUsed.includes('ADMIN_TOKEN')) {
    lines.push(
      `  operator: ADMIN_TOKEN is not set: the development token is ${config.adminToken}`,
      `            curl -X POST ${base}/v1/admin/users -H 'Authorization: Bearer ${config.adminToken}' \\`,
      `                 -H 'Content-Type: application/json' -d '{"displayName":"Ada","birthDate":"1990-01-01","verified":true}'`,
    );
  }
  if (config.defaultsUsed.includes('JWT_SECRET')) {
    lines.push('  JWT_SECRET is not set: using the development secret (NODE_ENV=production refuses it)');
  }
  return lines;
}
