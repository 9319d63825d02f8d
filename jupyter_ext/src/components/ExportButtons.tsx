import { Clipboard, Notification } from '@jupyterlab/apputils';
import { Button } from '@jupyterlab/ui-components';
import React, { useState } from 'react';

import { LabtrackClient } from '../client';
import { downloadBlob } from '../download';
import { messageOf } from '../model';
import { ExportFormat } from '../tokens';

export interface IExportButtonsProps {
  client: LabtrackClient;
  runs: readonly number[];
  differencesOnly: boolean;
}

const FILES: { format: ExportFormat; label: string; extension: string }[] = [
  { format: 'csv', label: 'CSV', extension: 'csv' },
  { format: 'json', label: 'JSON', extension: 'json' },
  { format: 'latex', label: 'LaTeX', extension: 'tex' },
  { format: 'html', label: 'HTML report', extension: 'html' }
];

/** Markdown to the clipboard; CSV, JSON, LaTeX and the HTML report as downloads (server-made). */
export function ExportButtons(props: IExportButtonsProps): JSX.Element {
  const { client, runs, differencesOnly } = props;
  const [busy, setBusy] = useState<ExportFormat | null>(null);

  const run = async (
    format: ExportFormat,
    extension: string
  ): Promise<void> => {
    setBusy(format);
    try {
      const file = await client.export([...runs], format, differencesOnly);
      if (format === 'md') {
        Clipboard.copyToSystem(await file.blob.text());
        Notification.success(
          'Comparison copied to the clipboard as Markdown.',
          {
            autoClose: 3000
          }
        );
      } else {
        downloadBlob(
          file.blob,
          file.filename ?? `labtrack-comparison.${extension}`
        );
      }
    } catch (error) {
      Notification.error(`Export failed: ${messageOf(error)}`, {
        autoClose: 8000
      });
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="jp-labtrack-ExportButtons" role="group" aria-label="Export">
      <Button
        small
        data-format="md"
        disabled={busy !== null}
        title="Copy the comparison as a Markdown table"
        onClick={() => void run('md', 'md')}
      >
        Copy Markdown
      </Button>
      {FILES.map(file => (
        <Button
          key={file.format}
          small
          minimal
          data-format={file.format}
          disabled={busy !== null}
          title={`Download the comparison as ${file.label}`}
          onClick={() => void run(file.format, file.extension)}
        >
          {file.label}
        </Button>
      ))}
    </div>
  );
}
