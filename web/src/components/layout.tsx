// The frame of every signed-in page: Tend's name, the navigation (what the person's role may open), who
// is signed in with a Sign out button, and the page itself. Moves focus to a new page's heading.
import { type ReactNode, useEffect, useRef } from 'react';
import { Link, useLocation } from 'wouter';
import { nameOf, type SignedInPerson, useSignOut } from '../api/session';

interface NavigationLink {
  readonly label: string;
  readonly href: string;
  readonly roles: readonly SignedInPerson['role'][];
}

const everyone = ['rep', 'manager', 'admin'] as const;
export const navigationLinks: readonly NavigationLink[] = [
  { label: 'Today', href: '/today', roles: everyone },
  { label: 'Conversations', href: '/conversations', roles: everyone },
  { label: 'Accounts', href: '/accounts', roles: everyone },
  { label: 'Oversight', href: '/oversight', roles: ['manager', 'admin'] },
  { label: 'Tasks', href: '/tasks', roles: everyone },
  { label: 'Playbooks', href: '/playbooks', roles: everyone },
  { label: 'Outbox', href: '/outbox', roles: everyone },
  { label: 'Notifications', href: '/notifications', roles: everyone },
  { label: 'Settings', href: '/settings', roles: ['admin'] },
];

export function Layout({ viewer, children }: { viewer: SignedInPerson; children: ReactNode }) {
  const [location] = useLocation();
  const signOut = useSignOut();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each new page, which `location` names.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    // A new page: tell screen readers and keyboards by focusing its heading (after it has rendered).
    const timer = window.setTimeout(() => main.current?.querySelector<HTMLElement>('h1')?.focus(), 0);
    return () => window.clearTimeout(timer);
  }, [location]);
  const section = `/${location.split('/')[1] ?? ''}`;
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to the page
      </a>
      <header className="top">
        <Link href="/today" className="brand" aria-label="Tend, your day">
          Tend
        </Link>
        <nav aria-label="Main">
          <ul>
            {navigationLinks
              .filter((link) => link.roles.includes(viewer.role))
              .map((link) => (
                <li key={link.href}>
                  <Link href={link.href} aria-current={section === link.href ? 'page' : undefined}>
                    {link.label}
                  </Link>
                </li>
              ))}
          </ul>
        </nav>
        <div className="who">
          <span>
            {nameOf(viewer)} <span className="role">({viewer.role})</span>
          </span>
          <button type="button" className="quiet" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" ref={main}>
        {children}
      </main>
    </>
  );
}

/** A page's heading, focusable so that the layout can move focus to it; also the window's title. */
export function PageTitle({ children, title }: { children: ReactNode; title: string }) {
  useEffect(() => {
    document.title = `${title} · Tend`;
  }, [title]);
  return (
    <h1 tabIndex={-1} className="page-title">
      {children}
    </h1>
  );
}
