/**
 * Borderless terminal tables (cli-table3), coloured only on a terminal.
 */
import Table from 'cli-table3';

/** A borderless table; colours only on a terminal. */
export function compactTable(head: string[]): Table.Table {
  const tty = process.stdout.isTTY === true && !process.env.NO_COLOR;
  return new Table({
    head,
    chars: { top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ' },
    style: { head: tty ? ['cyan'] : [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
}
