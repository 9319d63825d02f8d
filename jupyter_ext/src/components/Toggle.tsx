import React from 'react';

export interface IToggleProps {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  title?: string;
  className?: string;
}

/** A switch drawn like JupyterLab's own (`jp-switch`), for React views. */
export function Toggle(props: IToggleProps): JSX.Element {
  const { label, checked, onChange, title, className } = props;
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      className={`jp-switch jp-labtrack-Toggle${className ? ` ${className}` : ''}`}
      title={title ?? label}
      onClick={() => onChange(!checked)}
    >
      <span className="jp-switch-label">{label}</span>
      <span className="jp-switch-track" aria-hidden="true" />
    </button>
  );
}
