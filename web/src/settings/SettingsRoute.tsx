/** The `/settings/*` route: the Settings page with the signed-in user's capabilities and the router's address. */
import { useLocation, useNavigate } from 'react-router';
import { useSession } from '../shell/me-context';
import { SettingsPage } from './SettingsPage';

export function SettingsRoute() {
  const { capabilities } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  return <SettingsPage pathname={location.pathname} capabilities={capabilities} navigate={(url) => void navigate(url)} />;
}
