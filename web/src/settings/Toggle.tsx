/** A labelled on/off switch (a checkbox with role="switch"), optionally with a hint and disabled. */
export function Toggle({ label, checked, onChange, disabled = false, hint }: { label: string; checked: boolean; onChange(v: boolean): void; disabled?: boolean; hint?: string }) {
  return (
    <label className={`toggle${disabled ? ' toggle-disabled' : ''}`}>
      <input type="checkbox" role="switch" checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} />
      <span className="toggle-track" aria-hidden="true" />
      <span className="toggle-text">
        <span className="toggle-label">{label}</span>
        {hint ? <span className="toggle-hint">{hint}</span> : null}
      </span>
    </label>
  );
}
