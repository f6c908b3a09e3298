using ReconMesh.WritebackService;

var builder = WebApplication.CreateBuilder(args);
builder.AddWritebackService();

var app = builder.Build();
app.MapWritebackService();
app.Run();
