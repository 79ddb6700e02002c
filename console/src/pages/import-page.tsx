// Import a bundle of billing records: drop or choose the file, watch it upload, then see either
// the counts imported or every problem with its JSON path (nothing of a bad bundle is written).
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type DragEvent, type ReactNode } from 'react';
import { problemOf, type ResponseOf } from '../server/client';
import { usePageTitle } from '../components/page-title';
import { NotAllowed, WaitingForRole } from '../components/not-allowed';
import { Problem } from '../components/problem';
import { useSession } from '../session/me';
import { storedKey } from '../session/session';

type Counts = ResponseOf<'/v1/import', 'post'>;

type State =
  | { step: 'idle' }
  | { step: 'uploading'; file: File; sent: number }
  | { step: 'importing'; file: File }
  | { step: 'done'; file: File; counts: Counts }
  | { step: 'failed'; file: File | null; error: unknown };

const LABELS: Record<keyof Counts, string> = {
  customers: 'Customers',
  contracts: 'Contracts',
  purchaseOrders: 'Purchase orders',
  deliveries: 'Deliveries',
  invoices: 'Invoices',
  payments: 'Payments',
};

const size = (bytes: number): string =>
  bytes >= 1_048_576
    ? `${(bytes / 1_048_576).toFixed(1)} MB`
    : bytes >= 1024
      ? `${(bytes / 1024).toFixed(0)} kB`
      : `${String(bytes)} bytes`;

/** XMLHttpRequest, not fetch: only it reports upload progress. */
function upload(file: File, onProgress: (sent: number) => void): Promise<Counts> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/v1/import');
    xhr.setRequestHeader('Content-Type', 'application/json');
    const key = storedKey();
    if (key) xhr.setRequestHeader('Authorization', `Bearer ${key}`);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => {
      if (xhr.status === 200) resolve(xhr.response as Counts);
      else reject(problemOf(xhr.status, xhr.response));
    };
    xhr.onerror = () => reject(new TypeError('network error'));
    xhr.send(file);
  });
}

export function ImportPage(): ReactNode {
  const { me, can } = useSession();
  if (!me) return <WaitingForRole />;
  if (!can('postV1Import')) return <NotAllowed title="Import" what="import billing records" />;
  return <ImportForm />;
}

function ImportForm(): ReactNode {
  usePageTitle('Import');
  const client = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<State>({ step: 'idle' });
  const [dragging, setDragging] = useState(false);
  const busy = state.step === 'uploading' || state.step === 'importing';

  async function start(file: File): Promise<void> {
    setState({ step: 'uploading', file, sent: 0 });
    try {
      const counts = await upload(file, (sent) =>
        setState(
          sent >= file.size ? { step: 'importing', file } : { step: 'uploading', file, sent },
        ),
      );
      setState({ step: 'done', file, counts });
      await client.invalidateQueries();
    } catch (error) {
      setState({ step: 'failed', file, error });
    }
  }

  const onDrop = (event: DragEvent): void => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file && !busy) void start(file);
  };

  return (
    <section aria-labelledby="import-title" className="narrow">
      <h1 id="import-title">Import billing records</h1>
      <p>
        A JSON bundle of customers, contracts, purchase orders, deliveries, invoices and payments.
        Records are inserted or updated; a bundle with any problem imports nothing.
      </p>
      <div
        className={`drop-zone${dragging ? ' dragging' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="drop-zone"
      >
        <label htmlFor="bundle-file">Drop the bundle file here, or choose it</label>
        <input
          ref={input}
          id="bundle-file"
          type="file"
          accept="application/json,.json"
          disabled={busy}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void start(file);
            e.target.value = '';
          }}
        />
      </div>
      <div aria-live="polite" className="import-status">
        {state.step === 'uploading' ? (
          <>
            <p>
              Uploading {state.file.name} ({size(state.file.size)})…
            </p>
            <progress max={state.file.size} value={state.sent} aria-label="Upload progress">
              {Math.round((state.sent / Math.max(1, state.file.size)) * 100)}%
            </progress>
          </>
        ) : null}
        {state.step === 'importing' ? (
          <>
            <p>Checking and importing {state.file.name}…</p>
            <progress aria-label="Import progress" />
          </>
        ) : null}
        {state.step === 'done' ? (
          <div role="status" className="success">
            <p>Imported {state.file.name}:</p>
            <table className="list compact counts">
              <caption className="visually-hidden">Records imported, by kind</caption>
              <tbody>
                {(Object.keys(LABELS) as (keyof Counts)[]).map((k) => (
                  <tr key={k}>
                    <th scope="row">{LABELS[k]}</th>
                    <td className="num">{state.counts[k]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </div>
      {state.step === 'failed' ? (
        <Problem
          error={state.error}
          title={`${state.file?.name ?? 'The file'} was not imported.`}
        />
      ) : null}
    </section>
  );
}
