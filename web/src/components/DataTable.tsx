import type { ReactNode } from 'react';
import { fr } from '@codegouvfr/react-dsfr';

/**
 * A DSFR table. On narrow screens it scrolls sideways, so it takes the keyboard focus to let
 * keyboard users scroll it too (WCAG 2.1.1); its caption, read by screen readers only, names it.
 */
export function DataTable({
  caption,
  headers,
  rows,
}: {
  caption: string;
  headers: readonly string[];
  rows: readonly (readonly ReactNode[])[];
}) {
  return (
    <div className={fr.cx('fr-table', 'fr-table--no-caption')}>
      <table tabIndex={0}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {headers.map((header) => (
              <th key={header} scope="col">
                {header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, rowIndex) => (
            <tr key={rowIndex}>
              {row.map((cell, cellIndex) => (
                <td key={cellIndex}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
