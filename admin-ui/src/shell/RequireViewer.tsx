import { Navigate, Outlet, useLocation } from 'react-router';

import { useSession } from '../lib/viewer';

/** Pages behind a session: anonymous visitors go to the log-in page, then come back. */
export function RequireViewer() {
  const { viewer } = useSession();
  const location = useLocation();
  if (!viewer) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/login${next === '/' ? '' : `?next=${encodeURIComponent(next)}`}`} replace />;
  }
  return <Outlet />;
}
