using System.Reflection;
using MassTransit;

namespace ReconMesh.ContractsDoc;

/// <summary>
/// What the document reads off a contract type by reflection: whether it is a message, its URN and exchange, the
/// constructor whose parameters are its fields, collection element types and which fields may be null.
/// </summary>
internal static class ContractTypes
{
    private static readonly NullabilityInfoContext Nullability = new();

    public static bool IsMessage(Type type) => type.GetCustomAttribute<MessageUrnAttribute>() is not null;

    public static string Urn(Type type) => type.GetCustomAttribute<MessageUrnAttribute>()!.Urn.ToString();

    public static string Exchange(Type type) =>
        type.GetCustomAttribute<EntityNameAttribute>()?.EntityName
        ?? throw new InvalidOperationException($"{type.FullName} has a [MessageUrn] but no [EntityName]: its exchange name would follow the .NET name.");

    public static ConstructorInfo PrimaryConstructor(Type type) =>
        PrimaryConstructorOrNull(type) ?? throw new InvalidOperationException($"{type.FullName} has no public constructor with parameters.");

    public static ConstructorInfo? PrimaryConstructorOrNull(Type type) =>
        type.IsClass && !type.IsAbstract
            ? type.GetConstructors().Where(c => c.GetParameters().Length > 0).MaxBy(c => c.GetParameters().Length)
            : null;

    public static Type? ElementType(Type type)
    {
        if (type == typeof(string))
        {
            return null;
        }

        if (type.IsArray)
        {
            return type.GetElementType();
        }

        return type.IsGenericType && type.GetGenericArguments().Length == 1 && typeof(System.Collections.IEnumerable).IsAssignableFrom(type)
            ? type.GetGenericArguments()[0]
            : null;
    }

    public static bool IsNullableValue(Type type) => Nullable.GetUnderlyingType(type) is not null;

    public static bool IsNullable(ParameterInfo p) =>
        IsNullableValue(p.ParameterType) || (!p.ParameterType.IsValueType && Nullability.Create(p).ReadState == NullabilityState.Nullable);
}
