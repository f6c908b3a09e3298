using ReconMesh.OperatorConsole;

// The operator console: a web page for the people who handle what the mesh cannot (docs/console.md). What it is made of,
// each in its own file: ConsoleHost (the pipeline), SignIn/ (sessions from the issuer's tokens), Services/ (the three
// services' APIs, called with the signed-in person's token), Pages/ (what a person sees).
var builder = WebApplication.CreateBuilder(args);
builder.AddOperatorConsole();

var app = builder.Build();
app.MapOperatorConsole();
app.Run();
