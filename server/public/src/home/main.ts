import './home.css';
import type { Page } from '../../../../shared/contracts/common';
import type { Stream } from '../../../../shared/contracts/models';
import type { LiveStreamItem } from '../../../../shared/contracts/live-streams';
import { ApiError } from '../../../../shared/contracts/api-error';
import { api, describeError } from '../lib/api';
import { byId, compact, fill, h } from '../lib/dom';
import { devLogin, loadIdentity, saveIdentity, type Identity } from '../lib/identity';
import { CreatorBattles } from './battles';

/* `/`: the live streams (refreshed every few seconds) and, for a development creator, going live. */

const streamsEl = byId('streams');
const moreBtn = byId<HTMLButtonElement>('more');
const status = byId('creator-status');
let cursor: string | null = null;
let liveStreams: LiveStreamItem[] = [];
// Reads `me` only when called, after the creator's state below is initialised.
const battles = new CreatorBattles(() => me?.token, setStatus);

function setStatus(text: string, kind: 'ok' | 'error' | '' = ''): void {
  status.textContent = text;
  status.dataset.kind = kind;
}

function ago(ms: number): string {
  const min = Math.max(0, Math.round((Date.now() - ms) / 60_000));
  return min < 1 ? 'just started' : min < 60 ? `${min} min` : `${Math.floor(min / 60)} h ${min % 60} min`;
}

function streamCard(it: LiveStreamItem): HTMLElement {
  return h(
    'a',
    { class: 'stream-card', href: `/watch/${it.stream.id}`, 'data-test': 'stream-card', 'data-stream': it.stream.id },
    h(
      'div',
      { class: 'stream-thumb' },
      h('span', { class: 'badge' }, 'LIVE'),
      h('span', { class: 'coins' }, `${compact(it.totalCoins)} coins`),
    ),
    h(
      'div',
      { class: 'stream-body' },
      h('div', { class: 'stream-title' }, it.stream.title),
      h('div', { class: 'muted' }, `${it.creator.displayName} · ${ago(it.stream.startedAt)}`),
    ),
  );
}

async function loadStreams(append = false): Promise<void> {
  try {
    const q = new URLSearchParams({ status: 'live', limit: '24' });
    if (append && cursor) q.set('cursor', cursor);
    const page = await api<Page<LiveStreamItem>>('GET', `/v1/streams?${q}`);
    liveStreams = append ? [...liveStreams, ...page.items] : page.items;
    cursor = page.nextCursor;
    battles.setOpponents(liveStreams);
    moreBtn.hidden = !cursor;
    byId('live-count').textContent = liveStreams.length ? `${liveStreams.length}${cursor ? '+' : ''} live` : '';
    if (liveStreams.length === 0)
      fill(
        streamsEl,
        h(
          'div',
          { class: 'empty muted' },
          'Nobody is live right now. Go live on the right, then open your viewer page.',
        ),
      );
    else fill(streamsEl, ...liveStreams.map(streamCard));
  } catch (err) {
    fill(streamsEl, h('div', { class: 'empty muted' }, `Could not load the streams (${describeError(err)}).`));
  }
}
moreBtn.addEventListener('click', () => void loadStreams(true));
void loadStreams();
// Refresh the first page unless the visitor paged further.
setInterval(() => {
  if (!document.hidden && liveStreams.length <= 24) void loadStreams();
}, 5000);

// ---- the creator's side ------------------------------------------------------------------------

let me: Identity | null = loadIdentity('creator');
let myStream: Stream | null = null;

/** The creator's live stream, found among the live streams (a creator has at most one). */
async function findMyStream(): Promise<Stream | null> {
  if (!me) return null;
  let c: string | null = null;
  for (let i = 0; i < 20; i++) {
    const q: URLSearchParams = new URLSearchParams({ status: 'live', limit: '100', ...(c ? { cursor: c } : {}) });
    const page: Page<LiveStreamItem> = await api<Page<LiveStreamItem>>('GET', `/v1/streams?${q}`);
    const mine = page.items.find((it) => it.creator.id === me!.user.id);
    if (mine) return mine.stream;
    c = page.nextCursor;
    if (!c) return null;
  }
  return null;
}

function renderCreator(): void {
  battles.follow(me ? (myStream?.id ?? null) : null);
  byId('creator-login').hidden = !!me;
  byId('creator-me').hidden = !me;
  if (!me) return;
  byId('creator-display').textContent = me.user.displayName;
  byId('go-live').hidden = !!myStream;
  byId('my-stream').hidden = !myStream;
  if (myStream) {
    byId('my-title').textContent = myStream.title;
    byId<HTMLAnchorElement>('my-watch').href = `/watch/${myStream.id}`;
    battles.setOpponents(liveStreams);
  }
}

byId('creator-login').addEventListener('submit', (e) => {
  e.preventDefault();
  const name = byId<HTMLInputElement>('creator-name').value.trim();
  devLogin('creator', name)
    .then(async (id) => {
      me = id;
      myStream = null;
      setStatus('');
      renderCreator();
    })
    .catch((err) => setStatus(describeError(err), 'error'));
});

byId('creator-signout').addEventListener('click', () => {
  saveIdentity('creator', null);
  me = null;
  myStream = null;
  byId('overlay-out').hidden = true;
  renderCreator();
});

byId('go-live').addEventListener('submit', (e) => {
  e.preventDefault();
  const title = byId<HTMLInputElement>('stream-title').value.trim();
  api<{ stream: Stream }>('POST', '/v1/streams', { token: me?.token, body: { title } })
    .then((r) => {
      myStream = r.stream;
      setStatus('You are live.', 'ok');
      renderCreator();
      void loadStreams();
    })
    .catch(async (err) => {
      if (err instanceof ApiError && err.code === 'CONFLICT') {
        myStream = await findMyStream().catch(() => null);
        renderCreator();
      }
      if (err instanceof ApiError && err.code === 'UNAUTHORIZED') forgetCreator();
      setStatus(describeError(err), 'error');
    });
});

byId('overlay-key').addEventListener('click', () => {
  api<{ overlayKey: string; overlayUrl: string }>('POST', '/v1/overlay-key', { token: me?.token })
    .then(({ overlayUrl }) => {
      byId('overlay-out').hidden = false;
      byId<HTMLInputElement>('overlay-url').value = overlayUrl;
      // The preview adds a backdrop; the query goes before the fragment that holds the key.
      const u = new URL(overlayUrl);
      u.searchParams.set('preview', '1');
      byId<HTMLAnchorElement>('overlay-open').href = u.toString();
      setStatus('New overlay URL: the previous one stopped working.', 'ok');
    })
    .catch((err) => setStatus(describeError(err), 'error'));
});

byId('overlay-copy').addEventListener('click', () => {
  const input = byId<HTMLInputElement>('overlay-url');
  navigator.clipboard?.writeText(input.value).then(
    () => setStatus('Copied.', 'ok'),
    () => {
      input.select();
      setStatus('Select and copy the URL.');
    },
  );
});

byId('end-stream').addEventListener('click', () => {
  if (!myStream) return;
  api<{ stream: Stream }>('POST', `/v1/streams/${myStream.id}/end`, { token: me?.token })
    .then(() => {
      myStream = null;
      setStatus('Stream ended.', 'ok');
    })
    .catch((err) => {
      // Already ended elsewhere: the page simply catches up.
      if (err instanceof ApiError && err.code === 'CONFLICT') myStream = null;
      setStatus(describeError(err), 'error');
    })
    .finally(() => {
      renderCreator();
      void loadStreams();
    });
});

function forgetCreator(): void {
  saveIdentity('creator', null);
  me = null;
  myStream = null;
  renderCreator();
}

renderCreator();
if (me) {
  findMyStream()
    .then((s) => {
      myStream = s;
      renderCreator();
    })
    .catch(() => undefined);
}
