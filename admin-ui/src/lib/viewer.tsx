// Who is signed in, in one place: the viewer query, their permissions, and a way to reload it.
import { createContext, useContext } from 'react';

import { graphql } from '../gql';
import type { ViewerQuery } from '../gql/graphql';

export const VIEWER_QUERY = graphql(`
  query Viewer {
    viewer {
      role
      permissions
      user {
        id
        email
        fullName
        locale
        emailVerified
        notifyEmail
        notifyPush
      }
      organisation {
        id
        name
        kind
      }
    }
  }
`);

export const BALANCE_QUERY = graphql(`
  query Balance {
    creditBalance
  }
`);

export type Viewer = NonNullable<ViewerQuery['viewer']>;

export interface Session {
  viewer: Viewer | null;
  /** Forget every cached answer and ask the API who is signed in (after log in / log out). */
  reset: () => void;
}

export const SessionContext = createContext<Session>({ viewer: null, reset: () => undefined });

export function useSession(): Session {
  return useContext(SessionContext);
}

/** The signed-in viewer; only for pages behind `RequireViewer`. */
export function useViewer(): Viewer {
  const { viewer } = useContext(SessionContext);
  if (!viewer) throw new Error('useViewer outside a signed-in page');
  return viewer;
}

export function may(viewer: Viewer | null, permission: string): boolean {
  return !!viewer?.permissions.includes(permission);
}
