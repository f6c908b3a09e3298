using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using Npgsql;
using ReconMesh.ServiceDefaults.Hosting;

namespace ReconMesh.OperatorConsole.KeyRing;

/// <summary>
/// Where the console keeps the keys its cookies (the session, antiforgery) are encrypted with. One process needs
/// nothing: ASP.NET Core keeps them in the user's profile. Several replicas must share them, or a person signed in at
/// one is signed out at the next: with <see cref="PostgresKey"/> set they are kept in PostgreSQL
/// (<see cref="PostgresXmlRepository"/>), which every replica reaches already and which a read-only container can use
/// (a shared volume would need ReadWriteMany storage most clusters lack). With <see cref="CertificateFileKey"/> and
/// <see cref="CertificateKeyFileKey"/> (a PEM pair, e.g. a Kubernetes TLS Secret) each key is encrypted with the
/// certificate before it is stored, so the table alone opens no cookie; <see cref="PreviousCertificateFileKey"/> and
/// its key file let keys protected by the certificate before a rotation still be read.
/// </summary>
public static class ConsoleKeyRing
{
    public const string Section = ConsoleSettings.Section + ":KeyRing";
    public const string PostgresKey = Section + ":Postgres";
    public const string CertificateFileKey = Section + ":CertificateFile";
    public const string CertificateKeyFileKey = Section + ":CertificateKeyFile";
    public const string PreviousCertificateFileKey = Section + ":PreviousCertificateFile";
    public const string PreviousCertificateKeyFileKey = Section + ":PreviousCertificateKeyFile";

    /// <summary>The same for every replica and release, so each reads what the others protected.</summary>
    public const string ApplicationName = "reconmesh-operator-console";

    public static WebApplicationBuilder AddConsoleKeyRing(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var protection = builder.Services.AddDataProtection().SetApplicationName(ApplicationName);
        if (Certificate(configuration, CertificateFileKey, CertificateKeyFileKey) is { } certificate)
        {
            var previous = Certificate(configuration, PreviousCertificateFileKey, PreviousCertificateKeyFileKey);
            protection.ProtectKeysWithCertificate(certificate)
                .UnprotectKeysWithAnyCertificate(previous is null ? [certificate] : [certificate, previous]);
        }

        if (configuration[PostgresKey] is { Length: > 0 } postgres)
        {
            var dataSource = NpgsqlDataSource.Create(postgres);
            builder.Services.AddSingleton(new KeyRingDatabase(dataSource));
            builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(_ =>
                new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new PostgresXmlRepository(dataSource)));
            // First of the hosted services: ASP.NET Core's own (DataProtectionHostedService) loads the ring at start, and
            // would make a key of its own in an empty one.
            builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, KeyRingBootstrap>());
        }

        return builder;
    }

    /// <summary>The certificate with its private key from a PEM pair, or null when neither file is named.</summary>
    private static X509Certificate2? Certificate(ConfigurationManager configuration, string certificateKey, string privateKeyKey)
    {
        var (file, keyFile) = (configuration[certificateKey], configuration[privateKeyKey]);
        if (string.IsNullOrWhiteSpace(file) && string.IsNullOrWhiteSpace(keyFile))
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(file) || string.IsNullOrWhiteSpace(keyFile) || !File.Exists(file) || !File.Exists(keyFile))
        {
            RequiredSettings.Fail($"'{certificateKey}' and '{privateKeyKey}' must both name readable PEM files (the certificate and its private key " +
                "that protect the console's key ring).");
            return null;
        }

        try
        {
            return X509Certificate2.CreateFromPemFile(file, keyFile);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            RequiredSettings.Fail($"'{certificateKey}' and '{privateKeyKey}' are not a PEM certificate and its private key: {e.Message}");
            return null;
        }
    }
}

/// <summary>The key ring's database, disposed with the host.</summary>
public sealed record KeyRingDatabase(NpgsqlDataSource DataSource) : IDisposable
{
    public void Dispose() => DataSource.Dispose();
}
