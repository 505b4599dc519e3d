import './overlay.css';
import type { Gift, GiftTier } from '../../../../shared/contracts/catalog';
import type { GiftsFrame } from '../../../../shared/contracts/socket';
import type { Battle, Goal } from '../../../../shared/contracts/models';
import type { OverlayStreamResponse } from '../../../../shared/contracts/live-streams';
import type { OverlaySettingsResponse } from '../../../../shared/contracts/overlay-settings';
import { api, describeError } from '../lib/api';
import { BattleBar } from '../lib/battle-bar';
import { byId } from '../lib/dom';
import { GoalBar } from '../lib/goal-bar';
import { connectSocket, watchConnection } from '../lib/socket';
import { streamTitle } from '../lib/streams';
import { GiftShow } from './gift-show';
import { fitCanvas, renderConn, renderTopGifters, type OverlayState } from './view';

/*
 * The creator's overlay, an OBS browser source: /overlay/<streamId> follows one stream, /overlay/live follows
 * whichever stream the key's creator has live (and the next one after it ends). The key is in the URL fragment.
 * `?widget=alerts|top|battle|goal` shows one part alone, on a canvas of its own size, so that each can be placed
 * as its own OBS source; without it, everything shows on one 1920x1080 canvas.
 */

const target = decodeURIComponent(location.pathname.split('/')[2] ?? 'live');
const overlayKey = new URLSearchParams(location.hash.slice(1)).get('key') ?? '';
const params = new URLSearchParams(location.search);
if (params.has('preview')) document.body.classList.add('preview');
const WIDGETS = ['alerts', 'top', 'battle', 'goal'] as const;
const widget = WIDGETS.find((w) => w === params.get('widget')) ?? 'all';
document.body.dataset.widget = widget;
const shows = (w: (typeof WIDGETS)[number]) => widget === 'all' || widget === w;

const canvas = byId('canvas');
const conn = byId('conn');
const notice = byId('notice');
const topGifters = byId('top-gifters');
fitCanvas(canvas);

const show = new GiftShow(canvas, byId('stage'), byId('combos'), shows('alerts'));
let current: string | null = null;
const battleBar = new BattleBar(() => current, streamTitle);
byId('battle-slot').append(battleBar.el);
const goalBar = new GoalBar();
byId('goal-slot').append(goalBar.el);

let state: OverlayState = 'connecting';
const setState = (s: OverlayState, detail?: string) => {
  state = s;
  renderConn(conn, s, detail);
};

function showNotice(text: string | null): void {
  notice.hidden = !text;
  notice.textContent = text ?? '';
}

const tiers = new Map<string, GiftTier>();
/** Tier by price when the catalog is not loaded (yet): the catalog's own boundaries. */
const tierOf = (giftId: string, coins: number): GiftTier =>
  tiers.get(giftId) ?? (coins < 100 ? 'small' : coins < 1000 ? 'medium' : coins < 10_000 ? 'large' : 'epic');

async function loadCatalog(attempt = 0): Promise<void> {
  try {
    const { gifts } = await api<{ gifts: Gift[] }>('GET', '/v1/gifts');
    for (const g of gifts) tiers.set(g.id, g.tier);
  } catch {
    setTimeout(() => void loadCatalog(attempt + 1), Math.min(30_000, 1000 * 2 ** attempt));
  }
}

/** The creator's settings; retried like the catalog (the overlay plays with the defaults meanwhile). */
async function loadSettings(attempt = 0): Promise<void> {
  try {
    const { settings } = await api<OverlaySettingsResponse>('GET', '/v1/overlay/settings', {
      headers: { 'x-overlay-key': overlayKey },
    });
    show.apply(settings);
  } catch {
    setTimeout(() => void loadSettings(attempt + 1), Math.min(30_000, 1000 * 2 ** attempt));
  }
}

if (!overlayKey) {
  setState('refused', 'no key');
  showNotice(
    'This overlay URL has no key. Ask Giftwire for one with POST /v1/overlay-key and use the overlayUrl it returns.',
  );
} else {
  void loadCatalog();
  void loadSettings();
  start();
}

function start(): void {
  const socket = connectSocket({ overlayKey });
  watchConnection(socket, (s, detail) => {
    if (s === 'connected') return; // decided by follow(): joined, waiting or ended
    setState(s, detail);
    // A refused handshake is not retried by Socket.io; the server may have been restarting, so try again slowly.
    if (s === 'refused') setTimeout(() => socket.connect(), 15_000);
  });

  let followTimer: ReturnType<typeof setTimeout> | undefined;
  const followLater = (ms: number) => {
    clearTimeout(followTimer);
    followTimer = setTimeout(() => void follow(), ms);
  };

  /** Finds the stream to show, joins it and takes its leaderboard and battle; retries while there is none. */
  async function follow(): Promise<void> {
    clearTimeout(followTimer);
    if (!socket.connected) return;
    let streamId: string | null = target;
    try {
      if (target === 'live') {
        const res = await api<OverlayStreamResponse>('GET', '/v1/overlay/stream', {
          headers: { 'x-overlay-key': overlayKey },
        });
        streamId = res.stream?.id ?? null;
      }
    } catch (err) {
      setState('refused', describeError(err));
      followLater(15_000);
      return;
    }
    if (!streamId) {
      setState('waiting');
      followLater(5000);
      return;
    }
    const ack = await socket
      .timeout(8000)
      .emitWithAck('stream:join', { streamId })
      .catch(() => null);
    if (!ack) {
      followLater(2000);
      return;
    }
    if (!ack.ok) {
      const code = ack.error.code;
      const ended = code === 'STREAM_NOT_LIVE';
      setState(ended ? (target === 'live' ? 'waiting' : 'ended') : 'refused', describeError(ack.error));
      // A wrong stream in the URL will not fix itself: say so on screen and look again only now and then.
      if (code === 'FORBIDDEN' || code === 'NOT_FOUND')
        showNotice(
          `This overlay cannot show stream ${streamId}: it is not this key's creator's stream. Use the overlayUrl of POST /v1/overlay-key.`,
        );
      if (target === 'live' || !ended) followLater(code === 'FORBIDDEN' || code === 'NOT_FOUND' ? 30_000 : 5000);
      return;
    }
    showNotice(null);
    current = streamId;
    setState(ack.stream.status === 'live' ? 'connected' : 'ended');
    renderTopGifters(topGifters, ack.leaderboard.items);
    battleBar.update(ack.battle);
    goalBar.update(ack.goal);
  }

  // Settings may have changed while the socket was away: read them again on every (re)connect.
  socket.on('connect', () => void follow().then(() => loadSettings()));
  socket.on('overlay:settings', ({ settings }) => show.apply(settings));
  socket.on('overlay:test', ({ items }) => {
    const now = performance.now();
    for (const g of items) show.gift(g, tierOf(g.giftId, g.coins), now, true);
  });
  socket.on('streak:ended', (e) => {
    if (e.streamId === current) show.streakEnded(e, performance.now());
  });
  const onGoal = ({ goal }: { goal: Goal }) => {
    if (goal.streamId === current) goalBar.update(goal);
  };
  socket.on('goal:update', onGoal);
  socket.on('goal:reached', onGoal);
  socket.on('gifts', (frame: GiftsFrame) => {
    if (frame.streamId !== current) return;
    const now = performance.now();
    for (const g of frame.items) show.gift(g, tierOf(g.giftId, g.coins), now);
    // Overlays receive every gift unfolded; if a server ever folds for them, the rest is still counted on screen.
    if (frame.rest) show.rest(frame.rest.gifts, frame.rest.coins, now);
  });
  socket.on('leaderboard', ({ streamId, items }) => {
    if (streamId === current) renderTopGifters(topGifters, items);
  });
  const onBattle = ({ battle }: { battle: Battle }) => {
    if (battle.sides.some((s) => s.streamId === current)) battleBar.update(battle);
  };
  socket.on('battle:started', onBattle);
  socket.on('battle:update', onBattle);
  socket.on('battle:ended', onBattle);
  socket.on('stream:ended', ({ streamId }) => {
    if (streamId !== current) return;
    if (target === 'live') {
      current = null;
      goalBar.update(null);
      setState('waiting');
      followLater(3000);
    } else {
      setState('ended');
    }
  });
}

// One clock for everything on screen; CSS does the motion in between.
setInterval(() => {
  show.tick(performance.now());
  battleBar.tick();
  canvas.dataset.state = state;
}, 100);
