// src/http/server.h
//
// Serves the Api over HTTP with cpp-httplib, and the built web UI as static files.
#ifndef GREENLOOP_HTTP_SERVER_H_
#define GREENLOOP_HTTP_SERVER_H_

#include <memory>
#include <string>

#include "core/status.h"
#include "http/api.h"

namespace httplib {
class Server;
}

namespace greenloop {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string web_root;  // directory with index.html; empty serves the API only
  int threads = 64;      // each keep-alive connection holds one thread while it is open
};

class HttpServer {
 public:
  HttpServer(Api* api, ServerOptions options);
  ~HttpServer();
  // Binds and serves until Stop(); returns an error when the port cannot be bound.
  Status Run();
  void Stop();

 private:
  Api* api_;
  ServerOptions options_;
  std::unique_ptr<httplib::Server> server_;
};

}  // namespace greenloop

#endif  // GREENLOOP_HTTP_SERVER_H_
