using ArchUnitNET.Domain;
using ArchUnitNET.Domain.Dependencies;
using ArchUnitNET.Loader;

namespace Spillway.TestSupport.Architecture;

/// <summary>Builds the namespace graph of a compiled assembly from its real type references, method bodies included.</summary>
public static class AssemblyNamespaces
{
    public static NamespaceGraph Graph(System.Reflection.Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var architecture = new ArchLoader().LoadAssemblies(assembly).Build();
        var graph = new NamespaceGraph();
        foreach (var type in architecture.Types)
        {
            graph.AddNamespace(type.Namespace.FullName);
        }

        // Only the assembly's own namespaces: what it uses of other assemblies is their layering, not its.
        var own = graph.Namespaces.ToHashSet(StringComparer.Ordinal);
        foreach (var type in architecture.Types)
        {
            var dependencies = type.Dependencies.Concat(type.Members.SelectMany(m => m.Dependencies));
            foreach (var dependency in dependencies)
            {
                // A generic parameter is no edge: the loader leaves some without a namespace, and files a generated generic
                // method's parameter under a same-named method of another type (each source-generated JSON context has one).
                if (dependency.Target is GenericParameter || dependency.Origin?.Namespace is null || dependency.Target?.Namespace is null
                    || !own.Contains(dependency.Target.Namespace.FullName))
                {
                    continue;
                }

                graph.AddEdge(dependency.Origin.Namespace.FullName, dependency.Target.Namespace.FullName, Cause(dependency));
            }
        }

        return graph;
    }

    private static string Cause(ITypeDependency dependency)
    {
        var origin = dependency is IMemberTypeDependency m ? Name(m.OriginMember) : dependency.Origin.FullName;
        var target = dependency is IMemberMemberDependency mm ? Name(mm.TargetMember) : dependency.Target.FullName;
        return $"{origin} -> {target}";
    }

    /// <summary>Type and member with its parameters, without the return type that the member's full name starts with.</summary>
    private static string Name(IMember member) => $"{member.DeclaringType.FullName}::{member.Name}";
}
