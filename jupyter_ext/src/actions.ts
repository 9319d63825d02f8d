import { CommandRegistry } from '@lumino/commands';

import { CommandIDs, IRunActions } from './tokens';

/** The views' actions, carried out by running the labtrack commands. */
export function commandActions(commands: CommandRegistry): IRunActions {
  return {
    openRun: number => void commands.execute(CommandIDs.openRun, { number }),
    compare: numbers =>
      void commands.execute(CommandIDs.compare, { runs: numbers }),
    openInNotebook: number =>
      void commands.execute(CommandIDs.openInNotebook, { number }),
    filterRuns: numbers =>
      void commands.execute(CommandIDs.filterRuns, {
        runs: numbers,
        clear: numbers === null
      })
  };
}
