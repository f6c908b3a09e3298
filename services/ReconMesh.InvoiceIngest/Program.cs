using ReconMesh.InvoiceIngest;

var builder = WebApplication.CreateBuilder(args);
builder.AddInvoiceIngest();

var app = builder.Build();
app.MapInvoiceIngest();
app.Run();
