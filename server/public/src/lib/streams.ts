import type { Stream } from '../../../../shared/contracts/models';
import { api } from './api';

const titles = new Map<string, Promise<string>>();

/** A stream's title for labels (battle sides), fetched once per stream; '' when it cannot be read. */
export function streamTitle(streamId: string): Promise<string> {
  let p = titles.get(streamId);
  if (!p) {
    p = api<{ stream: Stream }>('GET', `/v1/streams/${encodeURIComponent(streamId)}`)
      .then((r) => r.stream.title)
      .catch(() => {
        titles.delete(streamId);
        return '';
      });
    titles.set(streamId, p);
  }
  return p;
}
