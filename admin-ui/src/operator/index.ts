// The operator console's entry (its own chunk).
export { OperatorConsole } from './OperatorConsole';
