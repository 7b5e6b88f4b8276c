using Spillway.Cli;

// The process's one real clock: everything else takes its TimeProvider from here (BannedSymbols.txt bans the rest).
#pragma warning disable RS0030
return await SpillwayCli.RunAsync(args, TimeProvider.System);
#pragma warning restore RS0030
