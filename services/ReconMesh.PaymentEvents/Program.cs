using ReconMesh.PaymentEvents;

var builder = WebApplication.CreateBuilder(args);
builder.AddPaymentEvents();

var app = builder.Build();
app.MapPaymentEvents();
app.Run();
