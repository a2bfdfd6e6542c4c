/** The rights-over-time process: its projection, executor, notice delivery and the login stream. */
export { rightsOverTime, type NoticeKind } from './rights-over-time.projection';
export { ProcessExecutor, PROCESS_ACTOR, SimulatedCrash, type NoticeOutcome, type ProcessExecutorOptions, type TickReport } from './process-executor';
export { FileNoticeDelivery, type Notice, type NoticeDelivery } from './notice-delivery';
export { loginStream, isLoginStream, USER_AUTHENTICATED, type UserAuthenticatedData } from './logins';
export { expiryOf, remindersBefore, type Expiry, type Reminder } from './schedule';
export { rigaDateOf, rigaInstantOf, rigaMidnight } from './riga-calendar';
export { readNotices, readProcessWork, type NoticeItem, type ProcessWorkItem } from './process-queries';
export { ensureProcessExecutorTables, markNoticesDelivered, PROCESS_EXECUTOR_TABLES } from './executor-tables';
