import React from 'react';

export interface IRunHeadingProps {
  label: string;
  color: string;
  onClick?: () => void;
}

/** A run's label with its chart colour; a link to its details when `onClick` is given. */
export function RunHeading(props: IRunHeadingProps): JSX.Element {
  const { label, color, onClick } = props;
  const swatch = (
    <span
      className="jp-labtrack-Swatch"
      style={{ background: color }}
      aria-hidden="true"
    />
  );
  if (!onClick) {
    return (
      <span className="jp-labtrack-RunHeading" title={label}>
        {swatch}
        <span className="jp-labtrack-RunHeading-label">{label}</span>
      </span>
    );
  }
  return (
    <button
      type="button"
      className="jp-labtrack-RunHeading jp-mod-link"
      title={`Open ${label}`}
      onClick={onClick}
    >
      {swatch}
      <span className="jp-labtrack-RunHeading-label">{label}</span>
    </button>
  );
}
