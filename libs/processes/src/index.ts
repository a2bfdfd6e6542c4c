/** @atlauja/processes: the worker's loops (reactor, rights over time, registry timers), for the worker and local mode. */
export { Processes, type ProcessesOptions } from './processes';
export { markReactorCurrent, Reactor, type ReactorOptions } from './reactor';
export { closeCampaignAtDeadline, RegistryTimers, DEADLINE_TIMER, DELETION_TIMER, type RegistryTick } from './registry-timers';
export { reactionPorts, type ReadModelAccess } from './reaction-ports';
