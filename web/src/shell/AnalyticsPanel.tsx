/** AI Analytics: a placeholder until the analytics land. */
export function AnalyticsPanel() {
  return (
    <section className="placeholder-panel" aria-labelledby="analytics-title">
      <h2 id="analytics-title" className="section-title">AI Analytics</h2>
      <p className="muted">How the AI assistant handles customer conversations (replies sent, hand-overs to staff, response times) will appear here.</p>
    </section>
  );
}
