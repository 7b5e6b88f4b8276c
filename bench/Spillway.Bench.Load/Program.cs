using Spillway.Bench.Load;
using Spillway.Bench.Load.Targets;
using Spillway.Bench.Load.Upstream;

// One executable, three roles: the benchmark itself; the YARP floor proxy it starts as a child process (a separate
// process so its peak RSS is its own, as Spillway's and Portkey's are); and the simulated upstream alone, to
// profile a proxy by hand.
return args switch
{
    ["yarp", .. var rest] => await FloorProxy.RunAsync(rest),
    ["upstream", .. var rest] => await StandaloneUpstream.RunAsync(rest),
    _ => await LoadBench.RunAsync(args),
};
