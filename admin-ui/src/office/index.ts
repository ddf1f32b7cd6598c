// The office workspace's entry (its own chunk): the words first, then the pages.
import './i18n';

export { OfficeWorkspace } from './OfficeWorkspace';
