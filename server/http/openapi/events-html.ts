import type { JsonSchema } from './json-schema';

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The Socket.io half of /docs, rendered on the server from the AsyncAPI document: AsyncAPI's own renderer
 * (@asyncapi/react-component) brings about 120 MB of dependencies into production for one page, so the events
 * are shown as plain HTML, one section per event with its payload and acknowledgement schemas.
 */
export function eventsHtml(doc: JsonSchema): string {
  const channels = doc.channels as { socket: { messages: Record<string, JsonSchema> } };
  const messages = channels.socket.messages;
  const operations = doc.operations as Record<string, JsonSchema>;
  const rows = Object.entries(operations).map(([id, op]) => {
    const msg = messages[id]!;
    const ack = op.reply ? messages[`${id}_ack`] : undefined;
    const direction = op.action === 'receive' ? 'app → server' : 'server → app';
    return `<section class="event" id="event-${escape(id)}">
<h3><code class="event-name">${escape(String(msg.name))}</code> <span class="direction">${direction}</span></h3>
<p>${escape(String(op.summary ?? ''))}</p>
<details open><summary>Payload</summary><pre>${escape(JSON.stringify(msg.payload, null, 2))}</pre></details>
${ack ? `<details><summary>Acknowledgement</summary><pre>${escape(JSON.stringify(ack.payload, null, 2))}</pre></details>` : ''}
</section>`;
  });
  const schemas = Object.entries((doc.components as { schemas: Record<string, unknown> }).schemas).map(
    ([name, s]) =>
      `<details id="schema-${escape(name)}"><summary><code>${escape(name)}</code></summary><pre>${escape(JSON.stringify(s, null, 2))}</pre></details>`,
  );
  const info = doc.info as { description: string };
  return `<p>${escape(info.description)}</p>${rows.join('\n')}<h3>Schemas</h3>${schemas.join('\n')}`;
}
