/** The app's sections: Messages, Customers, Work orders (each shown to roles that may open it; routes.tsx). */
import { NavLink } from 'react-router';
import { SECTIONS } from '../routes';
import { useSession } from './me-context';

export function PrimaryNav() {
  const { capabilities } = useSession();
  const shown = SECTIONS.filter((s) => !s.hidden && capabilities.has(s.capability));
  return (
    <nav className="primary-nav" aria-label="Sections">
      <ul>
        {shown.map((s) => (
          <li key={s.path}><NavLink to={s.path} end={false}>{s.label}</NavLink></li>
        ))}
      </ul>
    </nav>
  );
}
