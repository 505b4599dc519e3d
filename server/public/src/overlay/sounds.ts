import type { SoundName } from '../../../../shared/contracts/overlay-settings';

/*
 * Alert sounds synthesised with the Web Audio API: short tones and noise shaped by envelopes. Nothing is downloaded
 * and nothing needs a licence. OBS browser sources play audio without a user gesture; a normal browser tab may
 * keep the context suspended until the page is clicked, which the preview accepts.
 */

interface Note {
  /** Seconds after the start. */
  at: number;
  freq: number;
  dur: number;
  type: OscillatorType;
  gain: number;
  /** Frequency at the end of the note (a glide), when set. */
  to?: number;
}

const NOTES: Record<Exclude<SoundName, 'none'>, Note[]> = {
  pop: [{ at: 0, freq: 520, to: 880, dur: 0.12, type: 'sine', gain: 0.8 }],
  chime: [
    { at: 0, freq: 1046.5, dur: 0.5, type: 'sine', gain: 0.6 },
    { at: 0.12, freq: 1318.5, dur: 0.6, type: 'sine', gain: 0.5 },
  ],
  coins: [0, 0.07, 0.14, 0.21].map((at, i) => ({ at, freq: 1800 + i * 260, dur: 0.09, type: 'square', gain: 0.18 })),
  fanfare: [
    { at: 0, freq: 523.25, dur: 0.16, type: 'sawtooth', gain: 0.25 },
    { at: 0.16, freq: 659.25, dur: 0.16, type: 'sawtooth', gain: 0.25 },
    { at: 0.32, freq: 783.99, dur: 0.16, type: 'sawtooth', gain: 0.25 },
    { at: 0.48, freq: 1046.5, dur: 0.7, type: 'sawtooth', gain: 0.3 },
    { at: 0.48, freq: 523.25, dur: 0.7, type: 'triangle', gain: 0.3 },
  ],
  cosmic: [
    { at: 0, freq: 110, to: 440, dur: 1.6, type: 'sawtooth', gain: 0.22 },
    { at: 0.1, freq: 220, to: 880, dur: 1.5, type: 'triangle', gain: 0.3 },
    ...[0.5, 0.7, 0.9, 1.1].map((at, i) => ({
      at,
      freq: 1567.98 + i * 200,
      dur: 0.4,
      type: 'sine' as const,
      gain: 0.2,
    })),
  ],
};

export class AlertSounds {
  private ctx: AudioContext | null = null;

  /** Plays `sound` at `volume` (0..100); muted or silent settings play nothing. */
  play(sound: SoundName, volume: number, muted: boolean): void {
    if (muted || sound === 'none' || volume <= 0) return;
    const ctx = this.context();
    if (!ctx) return;
    const master = ctx.createGain();
    master.gain.value = (volume / 100) ** 2; // perceived loudness grows with the square
    master.connect(ctx.destination);
    const t0 = ctx.currentTime + 0.02;
    for (const n of NOTES[sound]) {
      const osc = ctx.createOscillator();
      const env = ctx.createGain();
      osc.type = n.type;
      osc.frequency.setValueAtTime(n.freq, t0 + n.at);
      if (n.to) osc.frequency.exponentialRampToValueAtTime(n.to, t0 + n.at + n.dur);
      env.gain.setValueAtTime(0.0001, t0 + n.at);
      env.gain.exponentialRampToValueAtTime(n.gain, t0 + n.at + 0.015);
      env.gain.exponentialRampToValueAtTime(0.0001, t0 + n.at + n.dur);
      osc.connect(env).connect(master);
      osc.start(t0 + n.at);
      osc.stop(t0 + n.at + n.dur + 0.05);
    }
  }

  private context(): AudioContext | null {
    if (!this.ctx) {
      if (typeof AudioContext === 'undefined') return null;
      this.ctx = new AudioContext();
    }
    if (this.ctx.state === 'suspended') void this.ctx.resume().catch(() => undefined);
    return this.ctx;
  }
}
