import { isPaychaosError, paychaosError, type PaychaosError } from './errors.js';

/**
 * Why a server could not listen, as a coded error. A host or port a user chose is bad input
 * (exit 2) naming the flag, never a harness bug with a stack trace: the port is taken, the host
 * is not an address here, or the port needs privileges. Anything else stays the caller's failure.
 */
export function listenError(err: unknown, where: { what: string; host: string; port: number; hostFlag?: string; portFlag?: string }): PaychaosError | undefined {
  if (isPaychaosError(err)) return err;
  const code = (err as NodeJS.ErrnoException).code;
  const details = { host: where.host, port: where.port, ...(where.hostFlag ? { hostFlag: where.hostFlag } : {}), ...(where.portFlag ? { portFlag: where.portFlag } : {}) };
  const port = where.portFlag ? `${where.portFlag} ${where.port}` : `port ${where.port}`;
  const host = where.hostFlag ? `${where.hostFlag} ${where.host}` : `host ${where.host}`;
  switch (code) {
    case 'EADDRINUSE':
      return paychaosError('PAYCHAOS_ERR_LISTEN_IN_USE', `${where.what} cannot listen on ${where.host}:${where.port}: ${port} is already in use`, details, { cause: err });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EADDRNOTAVAIL':
    case 'EINVAL':
      return paychaosError('PAYCHAOS_ERR_LISTEN_BAD_ADDRESS', `${where.what} cannot listen on ${where.host}:${where.port}: ${host} is not an address of this machine (${code})`, details, { cause: err });
    case 'EACCES':
    case 'EPERM':
      return paychaosError('PAYCHAOS_ERR_LISTEN_NOT_PERMITTED', `${where.what} may not listen on ${where.host}:${where.port}: ${port} needs privileges`, details, { cause: err });
    default:
      return undefined;
  }
}
