/**
 * How the panel writes numbers, times and values: short, stable, and always as plain text.
 */

import { ComparisonNumber, JSONValue } from './tokens';

/** `0.9123`, `1.23e-5`, `12,345`; an em dash for a missing value. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) {
    return '—';
  }
  if (Number.isNaN(value)) {
    return 'NaN';
  }
  if (!Number.isFinite(value)) {
    return value > 0 ? '∞' : '−∞';
  }
  if (Number.isInteger(value) && Math.abs(value) < 1e15) {
    return value.toLocaleString('en-US');
  }
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) {
    return value.toExponential(2);
  }
  return String(Number(value.toPrecision(4)));
}

/** A comparison number (which may be "inf", "-inf", "nan" or null) as a JS number or null. */
export function toNumber(value: ComparisonNumber | undefined): number | null {
  if (value === null || value === undefined) {
    return null;
  }
  if (value === 'inf') {
    return Infinity;
  }
  if (value === '-inf') {
    return -Infinity;
  }
  if (value === 'nan') {
    return NaN;
  }
  return value;
}

/** `+0.031`, signed so the direction shows. */
export function formatSigned(value: number | null | undefined): string {
  if (value === null || value === undefined) {
    return '—';
  }
  const text = formatNumber(value);
  return value > 0 ? `+${text}` : text;
}

/** `0.4 s`, `2 m 05 s`, `1 h 02 m`. */
/** `12.3s`, `4m05s` or `2h03m`: the rule of labtrack's Python side (present/text.py), so the panel,
 * the CLI, the widgets and the exports read alike. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) {
    return '—';
  }
  if (seconds < 60) {
    return `${seconds.toFixed(1)}s`;
  }
  const whole = Math.floor(seconds);
  const minutes = Math.floor(whole / 60);
  const hours = Math.floor(minutes / 60);
  if (hours > 0) {
    return `${hours}h${String(minutes % 60).padStart(2, '0')}m`;
  }
  return `${minutes}m${String(whole % 60).padStart(2, '0')}s`;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** An epoch time in local time: `14:03` today, `11-25 14:03` this year, else `2024-11-25`. */
export function formatStart(
  epochSeconds: number | null | undefined,
  now: Date = new Date()
): string {
  if (epochSeconds === null || epochSeconds === undefined) {
    return '—';
  }
  const date = new Date(epochSeconds * 1000);
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  if (date.toDateString() === now.toDateString()) {
    return time;
  }
  if (date.getFullYear() === now.getFullYear()) {
    return `${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${time}`;
  }
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** An epoch time in full, for tooltips. */
export function formatTimestamp(
  epochSeconds: number | null | undefined
): string {
  if (epochSeconds === null || epochSeconds === undefined) {
    return '—';
  }
  const d = new Date(epochSeconds * 1000);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  );
}

/** A param or tag value as a table shows it: strings as they are, the rest as JSON. */
export function formatValue(value: JSONValue | undefined): string {
  if (value === undefined || value === null) {
    return '—';
  }
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number') {
    return formatNumber(value);
  }
  return JSON.stringify(value);
}

/** `#12 baseline`, or `#12` for a run without a name. */
export function runLabel(run: { number: number; name: string | null }): string {
  return run.name ? `#${run.number} ${run.name}` : `#${run.number}`;
}

/** `1.2 kB`, `3.4 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) {
    return `${bytes} B`;
  }
  const units = ['kB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
