// The signals' newest values live (GET /api/v1/latest/stream, Server-Sent Events): every
// tag's newest point when it connects, then at most once a second those that changed.
// EventSource reconnects by itself, and the first event after is every tag's newest again.
import { ref, type Ref } from 'vue';
import type { Latest } from './api';

export interface LatestStream {
  connected: Ref<boolean>;
  close: () => void;
}

// EventSource gives up on an answer that is not a stream (a hub with no tag yet answers 404):
// tried again this much later.
const RETRY_MS = 10000;

// Calls `onValues` with each event's values.
export function followLatest(pattern: string, onValues: (values: Latest[]) => void): LatestStream {
  const connected = ref(false);
  let source: EventSource | undefined;
  let retry: number | undefined;
  const connect = () => {
    source = new EventSource('/api/v1/latest/stream?' + new URLSearchParams({ tag: pattern }));
    source.addEventListener('open', () => (connected.value = true));
    source.addEventListener('error', () => {
      connected.value = false;
      if (source?.readyState === EventSource.CLOSED) retry = window.setTimeout(connect, RETRY_MS);
    });
    source.addEventListener('latest', (e) => {
      connected.value = true;
      onValues((JSON.parse((e as MessageEvent).data) as { latest: Latest[] }).latest);
    });
  };
  connect();
  return {
    connected,
    close: () => {
      window.clearTimeout(retry);
      source?.close();
    },
  };
}

// Which of `values` are new to a sparkline that has seen up to `seen` (ms by tag; updated):
// a tag seen for the first time is taken as already in the half hour the page queried.
export function newValues(values: Latest[], seen: Map<string, number>): Latest[] {
  const out: Latest[] = [];
  for (const l of values) {
    if (l.ts === null || l.value === null) continue;
    const ts = Date.parse(l.ts);
    const last = seen.get(l.tag);
    if (last === undefined || ts > last) seen.set(l.tag, ts);
    if (last !== undefined && ts > last) out.push(l);
  }
  return out;
}
