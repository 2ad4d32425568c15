/** Citizens' assemblies: the fair, transparent draw of a representative panel (LEXIMIN), then deliberation and follow-up. */
export { InstanceError, panelSizeFromName, parseInstance, typesOf, type Instance, type Quota } from './sortition/instance.ts'
export { Infeasible, leximin, TimeLimitReached, type LeximinResult } from './sortition/leximin.ts'
export { legacyProbabilities } from './sortition/legacy.ts'
export { relaxation } from './sortition/relaxation.ts'
export { commitmentOf, drawIndex, roundToLottery } from './sortition/lottery.ts'
