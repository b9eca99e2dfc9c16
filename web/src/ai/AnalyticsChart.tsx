/** AI Analytics chart: AI replies and handoffs per day (recharts). */
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export function AnalyticsChart({ daily }: { daily: { day: string; replies: number; handoffs: number }[] }) {
  return (
    <div className="chart" aria-label="Replies and handoffs per day">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={daily}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="day" />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Legend />
          <Bar dataKey="replies" name="AI replies" fill="#7c3aed" />
          <Bar dataKey="handoffs" name="Handoffs" fill="#f97316" />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
