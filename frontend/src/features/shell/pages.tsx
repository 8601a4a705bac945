import { lazy, type ComponentType } from 'react';
import type { Icon } from '@tabler/icons-react';
import { IconApps, IconBuilding, IconBuildingSkyscraper, IconChecklist, IconDatabase, IconHistory, IconHome } from '@tabler/icons-react';
import { inDesktop } from '../../api/transports';
import { IconLayoutGrid, IconMail, IconShieldLock, IconUserCircle, IconUsers } from '@tabler/icons-react';
import { ProfilePage } from '../account/ProfilePage';
import { HomePage } from '../home/HomePage';

// The shell, "Accueil", where signing in lands, and "Mon compte" come with the console;
// every other page is its own chunk, loaded when first shown. The first screen
// (first run, sign-in) then parses less JavaScript. Chunks are in the binary,
// so a page loads in a few ms.
function chunk<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(() => load().then((m) => ({ default: m[name] })));
}

/** What a page needs to know of the session to decide whether it is shown. */
export interface Access {
  rights: readonly string[];
  isAdmin: boolean;
  /** Some application has an address: the application pages have something to show. */
  applicationsOffered: boolean;
}

export interface PageDef {
  path: string;
  /** i18n key of its menu entry. */
  label: string;
  icon: Icon;
  Component: ComponentType;
  /** Loaded with the console rather than as its own chunk. */
  eager?: boolean;
  /** Shown to an account without any organization (its last one deleted). */
  withoutOrg?: boolean;
  /** Who sees it, in the menu and as a route; the backend checks the same rights again. */
  visible: (a: Access) => boolean;
}

const everyone = () => true;
const has = (right: string) => (a: Access) => a.isAdmin || a.rights.includes(right);
const withApplications = (then: (a: Access) => boolean) => (a: Access) => a.applicationsOffered && then(a);

/**
 * The console's pages, in menu order: the menu and the routes are both made
 * from this one list, so a page is never reachable without its entry, nor
 * listed where it would be refused.
 */
export const pages: PageDef[] = [
  { path: '/home', label: 'home.menu', icon: IconHome, Component: HomePage, eager: true, visible: everyone },
  { path: '/account', label: 'shell.account', icon: IconUserCircle, Component: ProfilePage, eager: true, withoutOrg: true, visible: everyone },
  { path: '/company', label: 'shell.company', icon: IconBuilding, Component: chunk(() => import('../company/CompanyPage'), 'CompanyPage'), visible: everyone },
  { path: '/tasks', label: 'shell.tasks', icon: IconChecklist, Component: chunk(() => import('../tasks/TasksPage'), 'TasksPage'), visible: has('tasks.view') },
  { path: '/organizations', label: 'shell.organizations', icon: IconBuildingSkyscraper, Component: chunk(() => import('../orgs/OrganizationsPage'), 'OrganizationsPage'), withoutOrg: true, visible: everyone },
  { path: '/my-applications', label: 'apps.mine.title', icon: IconLayoutGrid, Component: chunk(() => import('../account/applications/MyApplicationsPage'), 'MyApplicationsPage'), visible: withApplications(everyone) },
  { path: '/users', label: 'shell.users', icon: IconUsers, Component: chunk(() => import('../users/UsersPage'), 'UsersPage'), visible: has('members.view') },
  { path: '/roles', label: 'roles.title', icon: IconShieldLock, Component: chunk(() => import('../roles/RolesPage'), 'RolesPage'), visible: has('members.view') },
  { path: '/applications', label: 'apps.title', icon: IconApps, Component: chunk(() => import('../applications/ApplicationsPage'), 'ApplicationsPage'), visible: withApplications(has('members.view')) },
  { path: '/history', label: 'history.menu', icon: IconHistory, Component: chunk(() => import('../history/HistoryPage'), 'HistoryPage'), visible: has('audit.view') },
  { path: '/outbox', label: 'outbox.menu', icon: IconMail, Component: chunk(() => import('../outbox/OutboxPage'), 'OutboxPage'), visible: has('org.edit') },
  // The desktop's own database: a server's operator backs up with its CLI. The
  // backend lets only the desktop's administrator in (the first run's account,
  // or an admin of every organization on it); an admin is shown the entry.
  { path: '/backups', label: 'backups.menu', icon: IconDatabase, Component: chunk(() => import('../backups/BackupsPage'), 'BackupsPage'), visible: (a) => inDesktop() && a.isAdmin },
];

/** The pages this session may open: with an organization, or without one. */
export function pagesFor(a: Access, withOrg: boolean): PageDef[] {
  return pages.filter((p) => p.visible(a) && (withOrg || p.withoutOrg));
}
