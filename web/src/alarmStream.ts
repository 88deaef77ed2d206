// The alarms' live view (GET /api/v1/alarms/stream, Server-Sent Events): the states when it
// connects, then each change; EventSource reconnects by itself, resuming after the last event
// it saw (or starting again from the states).
import { ref, type Ref } from 'vue';
import type { AlarmState } from './api';

// One event of the stream (a journal entry, docs/alarms.md).
export interface AlarmEvent {
  alarm: string;
  equipment: string;
  priority: string;
  event: string;
  ts: string;
  state: string;
  value: number | null;
  user?: string;
}

// The states after `e`: the alarm's state, activity and acknowledgement as the event left
// them; an alarm the states did not have (added to alarms.yaml since) is added.
export function applyAlarmEvent(states: AlarmState[], e: AlarmEvent): AlarmState[] {
  const active = e.state === 'unacknowledged' || e.state === 'acknowledged';
  const acknowledged = e.state !== 'unacknowledged' && e.state !== 'returned-unacknowledged';
  const i = states.findIndex((a) => a.alarm === e.alarm);
  const before: AlarmState =
    i >= 0
      ? states[i]
      : {
          alarm: e.alarm,
          type: '',
          source: '',
          priority: e.priority,
          equipment: e.equipment,
          description: '',
          state: 'normal',
          active: false,
          acknowledged: true,
          active_since: null,
          updated_at: e.ts,
        };
  const after: AlarmState = {
    ...before,
    state: e.state,
    active,
    acknowledged,
    active_since: active ? (before.active ? before.active_since : e.ts) : null,
    updated_at: e.ts,
  };
  const out = [...states];
  if (i >= 0) out[i] = after;
  else out.push(after);
  return out;
}

export interface AlarmStream {
  alarms: Ref<AlarmState[]>;
  connected: Ref<boolean>;
  close: () => void;
}

// Keeps `alarms` as the stream says: every alarm (the normal ones too).
export function followAlarms(): AlarmStream {
  const alarms = ref<AlarmState[]>([]);
  const connected = ref(false);
  const source = new EventSource('/api/v1/alarms/stream');
  source.addEventListener('open', () => (connected.value = true));
  source.addEventListener('error', () => (connected.value = false));
  source.addEventListener('states', (e) => {
    alarms.value = JSON.parse((e as MessageEvent).data).alarms as AlarmState[];
    connected.value = true;
  });
  source.addEventListener('alarm', (e) => {
    alarms.value = applyAlarmEvent(alarms.value, JSON.parse((e as MessageEvent).data));
  });
  return { alarms, connected, close: () => source.close() };
}

export const priorityRank: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };

// What an operator looks at first: unacknowledged before acknowledged, then by priority,
// then the newest.
export function byUrgency(a: AlarmState, b: AlarmState): number {
  const unacked = (s: AlarmState) => (s.acknowledged ? 1 : 0);
  return (
    unacked(a) - unacked(b) ||
    (priorityRank[a.priority] ?? 9) - (priorityRank[b.priority] ?? 9) ||
    b.updated_at.localeCompare(a.updated_at)
  );
}
