#include "http/server.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cctype>

namespace greenloop {
namespace {

constexpr size_t kMaxBodyBytes = 16 * 1024 * 1024;

HttpRequest FromHttplib(const httplib::Request& in) {
  HttpRequest out;
  out.method = in.method;
  out.path = in.path;
  for (const auto& [name, value] : in.params) out.query.emplace(name, value);
  for (const auto& [name, value] : in.headers) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    out.headers[lower] = value;
  }
  out.body = in.body;
  return out;
}

}  // namespace

HttpServer::HttpServer(Api* api, ServerOptions options)
    : api_(api), options_(std::move(options)), server_(std::make_unique<httplib::Server>()) {}

HttpServer::~HttpServer() = default;

Status HttpServer::Run() {
  httplib::Server& server = *server_;
  // Without TCP_NODELAY every keep-alive response waits ~40 ms for delayed ACKs.
  server.set_tcp_nodelay(true);
  const int threads = options_.threads;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  server.set_keep_alive_max_count(10000);
  server.set_keep_alive_timeout(5);
  server.set_payload_max_length(kMaxBodyBytes);
  // cpp-httplib listens with a backlog of 5; under a burst of new connections the kernel then
  // drops SYNs and clients wait a second for the retry. Remember the socket it creates and
  // listen again with the system's maximum once it is bound.
  auto listen_fd = std::make_shared<std::atomic<int>>(-1);
  server.set_socket_options([listen_fd](int sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listen_fd->store(sock);
  });
  server.set_read_timeout(30, 0);
  server.set_write_timeout(30, 0);

  auto handler = [this](const httplib::Request& req, httplib::Response& res) {
    HttpResponse response = api_->Handle(FromHttplib(req));
    res.status = response.status;
    res.set_content(response.body, response.content_type);
    res.set_header("Cache-Control", "no-store");
  };
  const std::string api_pattern = R"(/api/.*)";
  server.Get(api_pattern, handler);
  server.Post(api_pattern, handler);
  server.Patch(api_pattern, handler);
  server.Put(api_pattern, handler);
  server.Delete(api_pattern, handler);
  server.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    spdlog::error("unhandled exception on {} {}: {}", req.method, req.path, what);
    res.status = 500;
    res.set_content(R"({"error":{"code":"internal","message":"internal error; nothing was changed"}})",
                    "application/json");
  });
  // cpp-httplib compresses "application/javascript" with brotli at its slowest quality on every
  // request (over a second for the UI's larger chunks); with a charset parameter the type no
  // longer matches its list, and the files go out as they are.
  server.set_file_extension_and_mimetype_mapping("js", "application/javascript; charset=utf-8");
  server.set_file_extension_and_mimetype_mapping("mjs", "application/javascript; charset=utf-8");
  server.set_file_extension_and_mimetype_mapping("css", "text/css; charset=utf-8");
  if (!options_.web_root.empty()) {
    if (!server.set_mount_point("/", options_.web_root)) {
      return Status::Invalid("invalid_field", "web root '" + options_.web_root + "' is not a directory", "web-root");
    }
  }
  if (!server.bind_to_port(options_.host, options_.port)) {
    return Status::Unavailable("cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
                               " (in use, or not allowed)");
  }
  if (listen_fd->load() >= 0) ::listen(listen_fd->load(), SOMAXCONN);
  spdlog::info("GreenLoop serving on http://{}:{}/ (API under /api/v1)", options_.host, options_.port);
  if (!server.listen_after_bind()) return Status::Unavailable("the HTTP server stopped with an error");
  return Status::OK();
}

void HttpServer::Stop() { server_->stop(); }

}  // namespace greenloop
