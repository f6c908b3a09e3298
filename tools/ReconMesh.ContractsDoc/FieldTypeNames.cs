namespace ReconMesh.ContractsDoc;

/// <summary>How the document names a field's type: as JSON sees it (linking enums and records), and as .NET spells it.</summary>
internal static class FieldTypeNames
{
    public static string JsonType(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (ContractTypes.ElementType(t) is { } element)
        {
            return "array of " + JsonType(element);
        }

        if (t.IsEnum)
        {
            return $"string ([{t.Name}](#{Anchor(t.Name)}))";
        }

        return t switch
        {
            _ when t == typeof(string) => "string",
            _ when t == typeof(Guid) => "string (uuid)",
            _ when t == typeof(decimal) || t == typeof(double) || t == typeof(float) => "number",
            _ when t == typeof(int) || t == typeof(long) || t == typeof(short) => "integer",
            _ when t == typeof(bool) => "boolean",
            _ when t == typeof(DateTimeOffset) || t == typeof(DateTime) => "string (date-time)",
            _ when t == typeof(DateOnly) => "string (date)",
            _ when t == typeof(TimeSpan) => "string (duration, [d.]hh:mm:ss)",
            _ => $"object ([{t.Name}](#{Anchor(t.Name)}))",
        };
    }

    public static string DotNetName(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return DotNetName(underlying) + "?";
        }

        if (type.IsGenericType)
        {
            var name = type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)];
            return $"{name}<{string.Join(", ", type.GetGenericArguments().Select(DotNetName))}>";
        }

        return type switch
        {
            _ when type == typeof(string) => "string",
            _ when type == typeof(decimal) => "decimal",
            _ when type == typeof(long) => "long",
            _ when type == typeof(int) => "int",
            _ when type == typeof(bool) => "bool",
            _ => type.Name,
        };
    }

    /// <summary>The link target of a one-word heading: the word in lower case.</summary>
    public static string Anchor(string heading) => heading.ToLowerInvariant();
}
