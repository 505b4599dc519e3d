import type { Battle } from '../../../../shared/contracts/models';
import type { LiveStreamItem } from '../../../../shared/contracts/live-streams';
import { api, describeError } from '../lib/api';
import { BattleBar } from '../lib/battle-bar';
import { byId, fill, h } from '../lib/dom';
import { connectSocket, type GiftwireSocket } from '../lib/socket';
import { streamTitle } from '../lib/streams';

/*
 * The creator's gift-war controls on the home page: challenge another live stream, answer an invitation, follow the
 * battle. The creator's own socket joins their stream, which is where `battle:invited` arrives (creators only).
 */
export class CreatorBattles {
  private socket: GiftwireSocket | null = null;
  private streamId: string | null = null;
  private battle: Battle | null = null;
  private readonly bar: BattleBar;
  private readonly state = byId('battle-state');
  private readonly form = byId<HTMLFormElement>('challenge-form');
  private readonly opponent = byId<HTMLSelectElement>('opponent');

  constructor(
    private readonly token: () => string | undefined,
    private readonly say: (text: string, kind?: 'ok' | 'error') => void,
  ) {
    this.bar = new BattleBar(() => this.streamId, streamTitle);
    byId('battle-slot').append(this.bar.el);
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.challenge();
    });
    setInterval(() => this.bar.tick(), 250);
  }

  /** Follows the creator's live stream (null: not live). */
  follow(streamId: string | null): void {
    if (streamId === this.streamId) return;
    this.streamId = streamId;
    this.socket?.disconnect();
    this.socket = null;
    this.show(null);
    const token = this.token();
    if (!streamId || !token) return;
    const socket = connectSocket({ token });
    this.socket = socket;
    socket.on('connect', async () => {
      const ack = await socket
        .timeout(8000)
        .emitWithAck('stream:join', { streamId })
        .catch(() => null);
      if (ack?.ok) this.show(ack.battle);
    });
    const onBattle = ({ battle }: { battle: Battle }) => {
      if (battle.sides.some((s) => s.streamId === this.streamId)) this.show(battle);
    };
    socket.on('battle:invited', onBattle);
    socket.on('battle:started', onBattle);
    socket.on('battle:update', onBattle);
    socket.on('battle:ended', onBattle);
  }

  /** Other live streams to challenge, from the live streams the page already lists. */
  setOpponents(items: LiveStreamItem[]): void {
    const keep = this.opponent.value;
    const others = items.filter((it) => it.stream.id !== this.streamId);
    fill(
      this.opponent,
      ...(others.length ? [] : [h('option', { value: '' }, 'No other live stream')]),
      ...others.map((it) =>
        h(
          'option',
          { value: it.stream.id, selected: it.stream.id === keep },
          `${it.stream.title} · ${it.creator.displayName}`,
        ),
      ),
    );
  }

  private async challenge(): Promise<void> {
    if (!this.streamId || !this.opponent.value) return;
    try {
      const { battle } = await api<{ battle: Battle }>('POST', '/v1/battles', {
        token: this.token(),
        body: {
          streamId: this.streamId,
          opponentStreamId: this.opponent.value,
          durationSec: Number(byId<HTMLSelectElement>('duration').value),
        },
      });
      this.show(battle);
    } catch (err) {
      this.say(describeError(err), 'error');
    }
  }

  private async act(action: 'accept' | 'decline' | 'cancel'): Promise<void> {
    if (!this.battle) return;
    try {
      const { battle } = await api<{ battle: Battle }>('POST', `/v1/battles/${this.battle.id}/${action}`, {
        token: this.token(),
      });
      this.show(battle);
    } catch (err) {
      this.say(describeError(err), 'error');
    }
  }

  private show(battle: Battle | null): void {
    // Events may arrive out of order with a REST answer: never go back from a closed or started battle to pending.
    if (battle && this.battle?.id === battle.id && this.battle.status !== 'pending' && battle.status === 'pending')
      return;
    this.battle = battle;
    this.bar.update(battle);
    const busy = battle?.status === 'pending' || battle?.status === 'active';
    this.form.hidden = busy;
    if (!battle) {
      fill(this.state);
      return;
    }
    const mineFirst = battle.sides[0].streamId === this.streamId;
    const other = battle.sides[mineFirst ? 1 : 0].streamId;
    const name = h('b', {}, '…');
    void streamTitle(other).then((t) => {
      name.textContent = t || 'the other stream';
    });
    const minutes =
      battle.durationSec % 60 === 0 ? `${battle.durationSec / 60}-minute` : `${battle.durationSec}-second`;
    const button = (label: string, action: 'accept' | 'decline' | 'cancel', primary = false) =>
      h(
        'button',
        {
          type: 'button',
          class: primary ? 'primary' : '',
          'data-test': `battle-${action}`,
          onclick: () => void this.act(action),
        },
        label,
      );
    switch (battle.status) {
      case 'pending':
        fill(
          this.state,
          mineFirst
            ? h(
                'div',
                {},
                'Waiting for ',
                name,
                ` to accept your ${minutes} gift war…`,
                h('div', { class: 'row' }, button('Cancel', 'cancel')),
              )
            : h(
                'div',
                {},
                name,
                ` challenges you to a ${minutes} gift war!`,
                h('div', { class: 'row' }, button('Accept', 'accept', true), button('Decline', 'decline')),
              ),
        );
        break;
      case 'active':
        fill(this.state, h('div', { class: 'muted' }, "Gift war on! Your viewers' gifts count now."));
        break;
      case 'ended':
        fill(this.state);
        break;
      default:
        fill(this.state, h('div', { class: 'muted' }, `The invitation was ${battle.status}.`));
    }
  }
}
