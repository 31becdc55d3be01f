/** The kiosk API as the screens use it: commands, the state stream and the preview socket. */
import type { KioskView } from '../../controller/src/app/kiosk/kiosk-view.ts';

export type { KioskView };

export interface ApiFailure {
  code: string;
  reasons: string[];
  params: Record<string, string | number>;
}

export type CommandResult = { ok: true; view: KioskView } | { ok: false; error: ApiFailure };

export async function command(path: 'scan' | 'confirm' | 'capture' | 'accept' | 'retake' | 'cancel' | 'report-discrepancy', body?: unknown): Promise<CommandResult> {
  try {
    const res = await fetch(`/api/kiosk/${path}`, {
      method: 'POST',
      // Always JSON ({} when there is nothing to send): the kiosk refuses any other POST.
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
    const json = (await res.json()) as KioskView | { error: { code: string; details?: { reasons?: string[]; params?: Record<string, string | number> } } };
    if ('error' in json) return { ok: false, error: { code: json.error.code, reasons: json.error.details?.reasons ?? [], params: json.error.details?.params ?? {} } };
    return { ok: true, view: json };
  } catch {
    return { ok: false, error: { code: 'kiosk.internal', reasons: [], params: {} } };
  }
}

/** Subscribes to state events; EventSource reconnects by itself after a server restart. */
export function watchState(onView: (view: KioskView) => void, onConnection: (up: boolean) => void): () => void {
  const source = new EventSource('/api/kiosk/events');
  source.onmessage = (e: MessageEvent<string>) => onView(JSON.parse(e.data) as KioskView);
  source.onopen = () => onConnection(true);
  source.onerror = () => onConnection(false);
  return () => source.close();
}

export interface DemoEntry {
  name: string;
  idNumber: string;
  collectionCode: string;
  studentNumber: string;
  note: { zh: string; en: string };
}

export async function demoRoster(): Promise<DemoEntry[]> {
  try {
    const res = await fetch('/api/kiosk/demo');
    return ((await res.json()) as { students: DemoEntry[] }).students;
  } catch {
    return [];
  }
}
