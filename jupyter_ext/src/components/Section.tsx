import React from 'react';

export interface ISectionProps {
  title: string;
  /** Controls shown at the right of the title. */
  tools?: React.ReactNode;
  className?: string;
  children?: React.ReactNode;
}

/** A titled block of a main-area view (compare, run details). */
export function Section(props: ISectionProps): JSX.Element {
  const { title, tools, className, children } = props;
  return (
    <section
      className={`jp-labtrack-Section${className ? ` ${className}` : ''}`}
    >
      <header className="jp-labtrack-Section-head">
        <h3 className="jp-labtrack-Section-title">{title}</h3>
        {tools && <div className="jp-labtrack-Section-tools">{tools}</div>}
      </header>
      {children}
    </section>
  );
}
