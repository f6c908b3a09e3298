using MassTransit;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Contracts.Payments;
using ReconMesh.Contracts.Payouts;
using ReconMesh.WritebackService.Reconciliation;

namespace ReconMesh.WritebackService.Trust;

/// <summary>Puts <see cref="TrustedClaimsFilter{T}"/> in front of WritebackService's consumers and saga, with the checks it asks.</summary>
public static class TrustedClaimsRegistration
{
    /// <summary>The checks, and the filter on every endpoint of the bus.</summary>
    public static IBusRegistrationConfigurator AddTrustedClaims(this IBusRegistrationConfigurator bus, IServiceCollection services)
    {
        services.AddSingleton<RefusedMessages>();
        services.AddScoped<PaymentEventClaims>();
        services.AddScoped<IClaimCheck<PaymentAccepted>>(s => s.GetRequiredService<PaymentEventClaims>());
        services.AddScoped<IClaimCheck<PaymentFailureAccepted>>(s => s.GetRequiredService<PaymentEventClaims>());
        services.AddScoped<IClaimCheck<PaymentStatusWrittenBack>>(s => s.GetRequiredService<PaymentEventClaims>());
        services.AddScoped<IClaimCheck<WritebackFailed>>(s => s.GetRequiredService<PaymentEventClaims>());
        services.AddScoped<IClaimCheck<PaymentStatusReverted>>(s => s.GetRequiredService<PaymentEventClaims>());
        services.AddScoped<IClaimCheck<PayoutAccepted>>(s => s.GetRequiredService<PaymentEventClaims>());
        services.AddScoped<CommandClaims>();
        services.AddScoped<IClaimCheck<WritePaymentBack>>(s => s.GetRequiredService<CommandClaims>());
        services.AddScoped<IClaimCheck<ReversePayment>>(s => s.GetRequiredService<CommandClaims>());
        services.AddScoped<IClaimCheck<InvoicesSynced>, InvoicesSyncedClaims>();
        bus.AddConfigureEndpointsCallback((context, _, endpoint) => endpoint.UseConsumeFilter(typeof(TrustedClaimsFilter<>), context));
        return bus;
    }
}
