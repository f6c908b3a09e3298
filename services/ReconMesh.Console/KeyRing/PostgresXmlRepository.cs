using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace ReconMesh.OperatorConsole.KeyRing;

/// <summary>
/// The console's data-protection key ring in PostgreSQL (table <see cref="Table"/>, its own schema: no service reads
/// it), so that every replica reads the same keys and a cookie made by one is read by any other. Each key is one row,
/// written once and never changed (ASP.NET Core revokes a key by adding an element, not by editing one); what is
/// stored is the key's XML as the key manager hands it over, encrypted by then when a certificate protects the ring
/// (<see cref="ConsoleKeyRing"/>). The key manager calls these methods synchronously, rarely (at start, then about
/// once a day), so they are synchronous too.
/// </summary>
public sealed class PostgresXmlRepository(NpgsqlDataSource dataSource) : IXmlRepository
{
    public const string Schema = "reconmesh_console";
    public const string Table = Schema + ".data_protection_keys";

    /// <summary>A key element is a few kilobytes; a row far above that is not one the key manager wrote.</summary>
    private const int MaxElementChars = 256 * 1024;

    private volatile bool _created;

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        EnsureTable();
        using var command = dataSource.CreateCommand($"SELECT xml FROM {Table} WHERE length(xml) <= {MaxElementChars} ORDER BY id");
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }

        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        EnsureTable();
        using var command = dataSource.CreateCommand($"INSERT INTO {Table} (friendly_name, xml) VALUES ($1, $2) ON CONFLICT (friendly_name) DO NOTHING");
        command.Parameters.AddWithValue(friendlyName);
        command.Parameters.AddWithValue(element.ToString(SaveOptions.DisableFormatting));
        command.ExecuteNonQuery();
    }

    /// <summary>The schema and table, made on first use by whichever replica comes first (idempotent DDL).</summary>
    private void EnsureTable()
    {
        if (_created)
        {
            return;
        }

        using var command = dataSource.CreateCommand(
            $"CREATE SCHEMA IF NOT EXISTS {Schema}; " +
            $"CREATE TABLE IF NOT EXISTS {Table} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, friendly_name text NOT NULL UNIQUE, " +
            "xml text NOT NULL, stored_at timestamptz NOT NULL DEFAULT now())");
        try
        {
            command.ExecuteNonQuery();
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateObject)
        {
            // Another replica made it at the same moment (IF NOT EXISTS is not atomic across sessions): it exists now.
        }

        _created = true;
    }
}
