/**
 * The reader's own data: a CSV file of two features and a label, dropped
 * onto the playground or chosen with a button, split into fields by
 * papaparse (loaded only when a file comes) and checked by csvData. The data
 * stays in the page: a copied link does not carry it, and says so.
 */
import type { Lang } from '../../activations/types.js';
import { tr } from '../i18n.js';
import { csvData, type CsvResult } from '../state/csv-data.js';
import type { CustomData } from '../worker/protocol.js';

/** Largest file read, in bytes. */
export const CSV_MAX_BYTES = 8 * 1024 * 1024;

/** Reads and checks a CSV file. */
export async function readCsv(file: File): Promise<CsvResult> {
  if (file.size > CSV_MAX_BYTES) return { ok: false, error: `${file.name} is ${(file.size / 1048576).toFixed(1)} MB; the playground reads CSV files up to ${CSV_MAX_BYTES / 1048576} MB` };
  const text = await file.text();
  const { default: Papa } = await import('papaparse');
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy', delimitersToGuess: [',', ';', '\t', ' '] });
  return csvData(file.name, parsed.data);
}

interface CsvInputProps {
  readonly lang: Lang;
  readonly custom: CustomData | null;
  readonly error: string | null;
  readonly onFile: (f: File) => void;
  readonly onClear: () => void;
}

/** The button, the current file and its problems. */
export function CsvInput({ lang, custom, error, onFile, onClear }: CsvInputProps) {
  return (
    <div class="field csv">
      {custom ? (
        <p class="custom-data" data-custom-data={custom.name}>
          {tr(lang, 'csvLoaded', { name: custom.name, n: custom.labels.length, k: custom.classes })}{' '}
          <button type="button" class="link" data-action="clear-csv" onClick={onClear}>
            {tr(lang, 'csvClear')}
          </button>
        </p>
      ) : (
        <label class="file-button small">
          {tr(lang, 'csvOpen')}
          <input
            type="file"
            accept=".csv,text/csv,text/plain"
            class="sr-only"
            data-action="open-csv"
            onChange={(e) => {
              const f = (e.target as HTMLInputElement).files?.[0];
              if (f) onFile(f);
              (e.target as HTMLInputElement).value = '';
            }}
          />
        </label>
      )}
      <p class="help">{tr(lang, custom ? 'csvNotInLink' : 'csvHelp')}</p>
      {error && (
        <p class="error" role="alert" data-csv-error>
          {error}
        </p>
      )}
    </div>
  );
}
