import './watch.css';
import type { CoinPackage, Gift, GiftTier } from '../../../../shared/contracts/catalog';
import type { Battle, GiftEvent, LeaderboardItem, Recharge, Wallet } from '../../../../shared/contracts/models';
import { MAX_GIFT_COUNT } from '../../../../shared/contracts/limits';
import type { GiftsFrame } from '../../../../shared/contracts/socket';
import { ApiError } from '../../../../shared/contracts/api-error';
import { api, describeError } from '../lib/api';
import { BattleBar } from '../lib/battle-bar';
import { byId, compact, fill, formatNumber, h } from '../lib/dom';
import { giftIcon } from '../lib/gift-art';
import { GoalBar } from '../lib/goal-bar';
import { GiftShow } from '../overlay/gift-show';
import { fitCanvas } from '../overlay/view';
import { devLogin, loadIdentity, saveIdentity, type Identity } from '../lib/identity';
import { connectSocket, watchConnection, type ConnState } from '../lib/socket';
import { streamTitle } from '../lib/streams';
import { uuidv4 } from '../lib/uuid';

/*
 * `/watch/:streamId`: a viewer for trying Giftwire. Signs in with the development login, buys coins from the
 * sandbox, sends gifts over Socket.io and shows the stream's gifts, leaderboard and battle live.
 */

const streamId = decodeURIComponent(location.pathname.split('/')[2] ?? '');
let me: Identity | null = loadIdentity('viewer');
let live = true;
let selectedGift: Gift | null = null;

const sendStatus = byId('send-status');
function say(text: string, kind: 'ok' | 'error' | '' = ''): void {
  sendStatus.textContent = text;
  sendStatus.dataset.kind = kind;
}

// ---- socket: watch the stream, as the signed-in viewer or anonymously ---------------------------

const socket = connectSocket(me ? { token: me.token } : {});
const battleBar = new BattleBar(() => streamId, streamTitle);
byId('battle-slot').append(battleBar.el);
const goalBar = new GoalBar();
byId('goal-slot').append(goalBar.el);

// The overlay's animations on a 960x540 canvas scaled into the player (silent: a viewer did not ask for sound).
const showCanvas = byId('show-canvas');
fitCanvas(showCanvas, byId('screen'));
const show = new GiftShow(showCanvas, byId('stage'), byId('combos'), false);
const tiers = new Map<string, GiftTier>();
const tierOf = (g: GiftEvent): GiftTier =>
  tiers.get(g.giftId) ?? (g.coins < 100 ? 'small' : g.coins < 1000 ? 'medium' : g.coins < 10_000 ? 'large' : 'epic');
setInterval(() => show.tick(performance.now()), 100);

const connEl = byId('conn');
const CONN_TEXT: Record<ConnState, string> = {
  connecting: 'connecting',
  connected: 'connected',
  reconnecting: 'reconnecting',
  refused: 'refused',
};
watchConnection(socket, (s, detail) => {
  connEl.dataset.state = s;
  connEl.querySelector('span')!.textContent = CONN_TEXT[s];
  connEl.title = detail ?? '';
  // A token the server no longer accepts (expired, another JWT secret): watch anonymously and ask to sign in again.
  if (s === 'refused' && me) {
    signOut('Your session expired: sign in again.');
  }
});

socket.on('connect', async () => {
  const ack = await socket
    .timeout(8000)
    .emitWithAck('stream:join', { streamId })
    .catch(() => null);
  if (!ack) return;
  if (!ack.ok) {
    const code = ack.error.code;
    byId('title').textContent =
      code === 'NOT_FOUND'
        ? 'No such stream'
        : code === 'STREAM_NOT_LIVE'
          ? 'This stream has ended'
          : describeError(ack.error);
    if (code === 'STREAM_NOT_LIVE') setLive(false);
    return;
  }
  byId('title').textContent = ack.stream.title;
  document.title = `${ack.stream.title} · Giftwire`;
  setLive(ack.stream.status === 'live');
  renderViewers(ack.viewers);
  renderLeaderboard(ack.leaderboard.items);
  battleBar.update(ack.battle);
  goalBar.update(ack.goal);
});

socket.on('gifts', (frame: GiftsFrame) => {
  if (frame.streamId !== streamId) return;
  const now = performance.now();
  for (const g of frame.items) {
    addFeed(giftLine(g));
    show.gift(g, tierOf(g), now);
  }
  if (frame.rest) show.rest(frame.rest.gifts, frame.rest.coins, now);
  if (frame.rest)
    addFeed(
      h('li', { class: 'rest' }, `+${formatNumber(frame.rest.gifts)} more gifts · ${compact(frame.rest.coins)} coins`),
    );
});
socket.on('leaderboard', (p) => p.streamId === streamId && renderLeaderboard(p.items));
socket.on('viewers', (p) => p.streamId === streamId && renderViewers(p.count));
const onBattle = ({ battle }: { battle: Battle }) => {
  if (battle.sides.some((s) => s.streamId === streamId)) battleBar.update(battle);
};
socket.on('battle:started', onBattle);
socket.on('battle:update', onBattle);
socket.on('battle:ended', onBattle);
socket.on('stream:ended', (p) => p.streamId === streamId && setLive(false));
socket.on('streak:ended', (e) => e.streamId === streamId && show.streakEnded(e, performance.now()));
socket.on('goal:update', ({ goal }) => goal.streamId === streamId && goalBar.update(goal));
socket.on('goal:reached', ({ goal }) => goal.streamId === streamId && goalBar.update(goal));
setInterval(() => battleBar.tick(), 250);

function setLive(isLive: boolean): void {
  live = isLive;
  const badge = byId('badge');
  badge.hidden = false;
  badge.textContent = isLive ? 'LIVE' : 'ENDED';
  badge.classList.toggle('ended', !isLive);
  byId('ended').hidden = isLive;
  updateSendButton();
}

function renderViewers(n: number): void {
  byId('viewers').textContent = `${formatNumber(n)} watching`;
}

const feed = byId('feed');
function addFeed(li: HTMLElement): void {
  feed.prepend(li);
  while (feed.children.length > 8) feed.lastElementChild!.remove();
}

function giftLine(g: GiftEvent): HTMLElement {
  return h(
    'li',
    { 'data-test': 'feed-item', 'data-gift': g.giftId },
    giftIcon(g.giftId, 26),
    h('span', {}, h('b', {}, g.sender.displayName), ` sent ${g.giftName}${g.count > 1 ? ` ×${g.count}` : ''}`),
    g.combo > g.count ? h('span', { class: 'combo' }, `combo ×${g.combo}`) : null,
  );
}

function renderLeaderboard(items: LeaderboardItem[]): void {
  const list = byId('leaderboard');
  if (items.length === 0) {
    fill(list, h('li', { class: 'muted' }, 'No gifts yet: be the first.'));
    return;
  }
  fill(
    list,
    ...items.map((it) =>
      h(
        'li',
        { class: it.userId === me?.user.id ? 'me' : '', 'data-test': 'leaderboard-row' },
        h('span', { class: 'rank' }, String(it.rank)),
        h('span', { class: 'name' }, it.displayName),
        h('span', { class: 'coins' }, formatNumber(it.coins)),
      ),
    ),
  );
}

// ---- account and wallet -------------------------------------------------------------------------

function renderAccount(): void {
  byId('login').hidden = !!me;
  byId('me').hidden = !me;
  byId('recharge').hidden = !me;
  if (me) byId('me-name').textContent = me.user.displayName;
  updateSendButton();
}

function renderWallet(w: Pick<Wallet, 'coins' | 'heldCoins'>): void {
  byId('coins').textContent = formatNumber(w.coins);
  byId('held').textContent = w.heldCoins ? `· ${formatNumber(w.heldCoins)} settling` : '';
}

async function refreshWallet(): Promise<void> {
  if (!me) return;
  try {
    renderWallet(await api<Wallet>('GET', '/v1/wallet', { token: me.token }));
  } catch (err) {
    if (err instanceof ApiError && err.code === 'UNAUTHORIZED') signOut('Your session expired: sign in again.');
  }
}

/** Reconnects the socket under the new identity (a socket's identity is fixed at connect). */
function reconnectAs(id: Identity | null): void {
  socket.auth = id ? { token: id.token } : {};
  socket.disconnect().connect();
}

function signOut(message = ''): void {
  saveIdentity('viewer', null);
  me = null;
  renderAccount();
  reconnectAs(null);
  say(message, message ? 'error' : '');
}

byId('login').addEventListener('submit', (e) => {
  e.preventDefault();
  devLogin('viewer', byId<HTMLInputElement>('login-name').value.trim())
    .then((id) => {
      me = id;
      renderAccount();
      renderWallet({ coins: 0, heldCoins: 0 });
      reconnectAs(id);
      say('Signed in. Buy some coins to send gifts.', 'ok');
    })
    .catch((err) => say(describeError(err), 'error'));
});
byId('signout').addEventListener('click', () => signOut());

async function loadPackages(): Promise<void> {
  const { packages } = await api<{ packages: CoinPackage[] }>('GET', '/v1/coin-packages');
  const money = (p: CoinPackage) =>
    new Intl.NumberFormat('en-US', { style: 'currency', currency: p.currency }).format(p.priceCents / 100);
  fill(
    byId('packages'),
    ...packages.map((p) =>
      h(
        'button',
        { type: 'button', 'data-test': 'package', 'data-package': p.id, onclick: () => void recharge(p) },
        `${formatNumber(p.coins)}`,
        h('small', {}, money(p)),
      ),
    ),
  );
}

async function recharge(p: CoinPackage): Promise<void> {
  if (!me) return;
  const card = byId<HTMLSelectElement>('card').value;
  say(`Buying ${formatNumber(p.coins)} coins…`);
  try {
    const res = await api<{ recharge: Recharge; wallet: Wallet }>('POST', '/v1/wallet/recharges', {
      token: me.token,
      headers: { 'Idempotency-Key': uuidv4() },
      body: { packageId: p.id, payment: { token: card } },
    });
    renderWallet(res.wallet);
    say(`+${formatNumber(res.recharge.coins)} coins.`, 'ok');
  } catch (err) {
    say(describeError(err), 'error');
  }
}

// ---- sending gifts ------------------------------------------------------------------------------

async function loadGifts(): Promise<void> {
  const { gifts } = await api<{ gifts: Gift[] }>('GET', '/v1/gifts');
  for (const g of gifts) tiers.set(g.id, g.tier);
  const buttons = gifts.map((g) => {
    const b = h(
      'button',
      {
        type: 'button',
        class: 'gift',
        role: 'radio',
        'aria-checked': 'false',
        'data-test': 'gift',
        'data-gift': g.id,
        title: `${g.name}: ${g.coins} coins`,
      },
      giftIcon(g.id, 34),
      g.name,
      h('small', {}, formatNumber(g.coins)),
    );
    b.addEventListener('click', () => {
      selectedGift = g;
      for (const other of buttons) other.setAttribute('aria-checked', String(other === b));
      updateSendButton();
    });
    return b;
  });
  fill(byId('gifts'), ...buttons);
  buttons[0]?.click();
}

function updateSendButton(): void {
  const btn = byId<HTMLButtonElement>('send-btn');
  btn.disabled = !me || !live || !selectedGift;
  btn.title = !me ? 'Sign in to send gifts' : !live ? 'The stream has ended' : '';
}

// The contract's limit, so the number field's arrows stop where the server would refuse.
byId<HTMLInputElement>('count').max = String(MAX_GIFT_COUNT);

byId('send-form').addEventListener('submit', (e) => {
  e.preventDefault();
  void sendGift();
});

async function sendGift(): Promise<void> {
  const gift = selectedGift;
  if (!me || !gift) return;
  const count = Math.trunc(Number(byId<HTMLInputElement>('count').value));
  if (!(count >= 1 && count <= MAX_GIFT_COUNT)) {
    say(`The count is 1 to ${MAX_GIFT_COUNT}.`, 'error');
    return;
  }
  // One key per click: if the answer is lost, the same key is sent again and the server answers the first result.
  const payload = { streamId, giftId: gift.id, count, idempotencyKey: uuidv4() };
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      const ack = await socket.timeout(10_000).emitWithAck('gift:send', payload);
      if (ack.ok) {
        renderWallet(ack.wallet);
        say(
          `Sent ${gift.name}${count > 1 ? ` ×${count}` : ''}${ack.gift.combo > count ? ` · combo ×${ack.gift.combo}` : ''}.`,
          'ok',
        );
      } else {
        say(describeError(ack.error), 'error');
        if (ack.error.code === 'UNAUTHORIZED') signOut('Your session expired: sign in again.');
        if (ack.error.code === 'STREAM_NOT_LIVE') setLive(false);
      }
      return;
    } catch {
      say(`No answer yet; retrying with the same idempotency key (${attempt}/3)…`);
    }
  }
  say('No answer from the server. Your coins are safe: try again.', 'error');
}

// Phones: the gift picker is a bottom sheet over the player, opened and closed by its handle (CSS decides when).
const sheet = byId('send');
byId('sheet-handle').addEventListener('click', (e) => {
  const open = sheet.classList.toggle('open');
  (e.currentTarget as HTMLElement).setAttribute('aria-expanded', String(open));
});

renderAccount();
void refreshWallet();
loadPackages().catch((err) => say(describeError(err), 'error'));
loadGifts().catch((err) => say(describeError(err), 'error'));
