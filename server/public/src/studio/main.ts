import './studio.css';
import type { Gift, GiftTier } from '../../../../shared/contracts/catalog';
import {
  SOUNDS,
  TIERS,
  overlaySettings,
  type OverlaySettings,
  type OverlaySettingsResponse,
  type SoundName,
} from '../../../../shared/contracts/overlay-settings';
import { api, describeError } from '../lib/api';
import { byId, fill, h } from '../lib/dom';
import { devLogin, loadIdentity, saveIdentity, type Identity } from '../lib/identity';
import { AlertSounds } from '../overlay/sounds';
import { TopGifters } from './top-gifters';
import { VariationsEditor } from './variations';

/*
 * `/studio`: the creator edits how their overlay looks and sounds (saved on the server, applied at once to every
 * open overlay), plays test alerts on it, and gets a URL for each widget.
 */

let me: Identity | null = loadIdentity('creator');
const form = byId<HTMLFormElement>('settings');
const statusEl = byId('status');
const sounds = new AlertSounds();
const variations = new VariationsEditor(byId('variations'));
const topGifters = new TopGifters();
const input = <T extends HTMLElement = HTMLInputElement>(id: string) => byId<T>(id);

function say(text: string, kind: 'ok' | 'error' | '' = ''): void {
  statusEl.textContent = text;
  statusEl.dataset.kind = kind;
}

const tierSelects = new Map<GiftTier, HTMLSelectElement>();
fill(
  byId('tier-sounds'),
  ...TIERS.map((tier) => {
    const select = h(
      'select',
      { 'data-test': 'tier-sound', 'data-tier': tier, 'aria-label': `${tier} sound` },
      ...SOUNDS.map((s) => h('option', { value: s }, s)),
    );
    tierSelects.set(tier, select);
    const listen = h('button', { type: 'button', title: 'Listen', 'aria-label': `Listen to the ${tier} sound` }, '▶');
    listen.addEventListener('click', () =>
      sounds.play(select.value as SoundName, Number(input('volume').value), input('muted').checked),
    );
    return h('label', { class: 'tier' }, h('span', {}, tier), select, listen);
  }),
);

function showSettings(s: OverlaySettings): void {
  input('minCoins').value = String(s.minCoins);
  input<HTMLSelectElement>('position').value = s.position;
  input<HTMLSelectElement>('font').value = s.font;
  input('accentColor').value = s.accentColor;
  input('textColor').value = s.textColor;
  input('muted').checked = s.muted;
  input('volume').value = String(s.volume);
  byId('volume-out').textContent = `${s.volume}%`;
  for (const tier of TIERS) tierSelects.get(tier)!.value = s.sounds[tier];
  variations.show(s.variations);
}

function readSettings(): unknown {
  return {
    minCoins: Number(input('minCoins').value || 0),
    position: input<HTMLSelectElement>('position').value,
    font: input<HTMLSelectElement>('font').value,
    accentColor: input('accentColor').value,
    textColor: input('textColor').value,
    muted: input('muted').checked,
    volume: Number(input('volume').value),
    sounds: Object.fromEntries(TIERS.map((t) => [t, tierSelects.get(t)!.value])),
    variations: variations.read(),
  };
}

input('volume').addEventListener('input', () => {
  byId('volume-out').textContent = `${input('volume').value}%`;
});
byId('add-variation').addEventListener('click', () => variations.add());

form.addEventListener('submit', (e) => {
  e.preventDefault();
  // The same schema the server validates with: a mistake is named here, before a round trip.
  const parsed = overlaySettings.safeParse(readSettings());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    say(`${issue.path.join('.') || 'settings'}: ${issue.message}`, 'error');
    return;
  }
  api<OverlaySettingsResponse>('PUT', '/v1/overlay-settings', { token: me?.token, body: parsed.data })
    .then(({ settings }) => {
      showSettings(settings);
      say('Saved: your open overlays use it now.', 'ok');
    })
    .catch((err: unknown) => say(describeError(err), 'error'));
});

for (const btn of document.querySelectorAll<HTMLButtonElement>('#tests button[data-tier]')) {
  btn.addEventListener('click', () => {
    const tier = btn.dataset.tier || undefined;
    api<{ items: unknown[] }>('POST', '/v1/overlay/test-alert', { token: me?.token, body: tier ? { tier } : {} })
      .then(({ items }) => say(`Test alert sent to your overlays (${items.length} ${tier ?? 'tiers'}).`, 'ok'))
      .catch((err: unknown) => say(describeError(err), 'error'));
  });
}

const WIDGETS: Array<[string, string, string]> = [
  ['alerts', 'Alerts and streaks', '1920×1080'],
  ['top', 'Top gifters', '360×380'],
  ['battle', 'Battle bar', '1000×240'],
  ['goal', 'Goal bar', '800×110'],
];

function showWidgetUrls(overlayUrl: string): void {
  const u = new URL(overlayUrl);
  fill(
    byId('widget-urls'),
    ...WIDGETS.map(([w, name, size]) => {
      u.search = `?widget=${w}`;
      return h(
        'tr',
        {},
        h('th', {}, name),
        h('td', { class: 'muted' }, size),
        h('td', {}, h('input', { readonly: true, value: u.toString(), 'data-test': 'widget-url', 'data-widget': w })),
      );
    }),
  );
}

byId('new-key').addEventListener('click', () => {
  api<{ overlayUrl: string }>('POST', '/v1/overlay-key', { token: me?.token })
    .then(({ overlayUrl }) => {
      showWidgetUrls(overlayUrl);
      say('New overlay URLs: the previous ones stopped working.', 'ok');
    })
    .catch((err: unknown) => say(describeError(err), 'error'));
});

async function signedIn(): Promise<void> {
  const on = !!me;
  byId('login').hidden = on;
  byId('me').hidden = !on;
  for (const id of ['settings', 'tests', 'widgets', 'top-gifters']) byId(id).hidden = !on;
  topGifters.show(me?.user.id ?? null);
  if (!me) return;
  byId('me-name').textContent = me.user.displayName;
  try {
    const [{ gifts }, { settings }] = await Promise.all([
      api<{ gifts: Gift[] }>('GET', '/v1/gifts'),
      api<OverlaySettingsResponse>('GET', '/v1/overlay-settings', { token: me.token }),
    ]);
    variations.setGifts(gifts);
    showSettings(settings);
    form.dataset.loaded = 'yes';
  } catch (err) {
    say(describeError(err), 'error');
  }
}

byId('login').addEventListener('submit', (e) => {
  e.preventDefault();
  devLogin('creator', input('login-name').value)
    .then((id) => {
      me = id;
      return signedIn();
    })
    .catch((err: unknown) => say(describeError(err), 'error'));
});
byId('signout').addEventListener('click', () => {
  saveIdentity('creator', null);
  me = null;
  void signedIn();
});

void signedIn();
