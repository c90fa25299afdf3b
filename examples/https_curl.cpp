// The HTTPS binding with a real HTTP client: each request is encoded by iotjobs, sent by libcurl,
// and the response (status, x-amzn-ErrorType header, body) handed back to iotjobs to decode.
//
//   https_curl BASE_URL THING_NAME
//
// BASE_URL is the Jobs data endpoint, e.g. https://<prefix>.jobs.iot.<region>.amazonaws.com:8443
// with an X.509 client certificate (set CURLOPT_SSLCERT/SSLKEY below), or a local test server.
// Requests to the SigV4 endpoint must also be signed; that is the HTTP client's job.
#include <curl/curl.h>

#include <cstdio>
#include <string>
#include <string_view>

#include <iotjobs/iotjobs.hpp>

namespace {

struct http_response {
  long status = 0;
  std::string error_type;  // x-amzn-ErrorType, empty when absent
  std::string body;
};

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* out) {
  const std::string_view line(data, size * n);
  constexpr std::string_view name = "x-amzn-errortype:";
  if (line.size() > name.size()) {
    bool match = true;
    for (std::size_t i = 0; i < name.size() && match; ++i) {
      const char c = line[i] >= 'A' && line[i] <= 'Z' ? static_cast<char>(line[i] + 32) : line[i];
      match = c == name[i];
    }
    if (match) {
      std::string_view value = line.substr(name.size());
      while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove_prefix(1);
      while (!value.empty() && (value.back() == '\r' || value.back() == '\n'))
        value.remove_suffix(1);
      static_cast<http_response*>(out)->error_type = std::string(value);
    }
  }
  return size * n;
}

// Sends what iotjobs encoded; false when the transport failed.
bool send(CURL* curl, const std::string& base, const iotjobs::https::request_view& req,
          http_response& out) {
  std::string url = base + std::string(req.path);
  if (!req.query.empty()) url += "?" + std::string(req.query);
  std::printf("%.*s %s\n", static_cast<int>(req.method.size()), req.method.data(), url.c_str());

  curl_easy_reset(curl);
  curl_slist* headers = nullptr;
  for (const iotjobs::https::header& h : req.headers) {
    headers =
        curl_slist_append(headers, (std::string(h.name) + ": " + std::string(h.value)).c_str());
  }
  const std::string method(req.method);
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  if (req.body) {
    std::printf("  body %.*s\n", static_cast<int>(req.body->size()), req.body->data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, req.body->data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(req.body->size()));
  }
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &out.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &out);
  const CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(headers);
  if (rc != CURLE_OK) {
    std::fprintf(stderr, "curl: %s\n", curl_easy_strerror(rc));
    return false;
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out.status);
  return true;
}

void print_error(const iotjobs::service_error_view& e) {
  std::printf("  -> %d %.*s (%s fault): %.*s\n", e.http_status, static_cast<int>(e.name.size()),
              e.name.data(), e.fault == iotjobs::fault::server ? "server" : "client",
              static_cast<int>(e.message.value_or("").size()), e.message.value_or("").data());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s BASE_URL THING_NAME\n", argv[0]);
    return 2;
  }
  const std::string base = argv[1];
  const std::string_view thing = argv[2];
  curl_global_init(CURL_GLOBAL_DEFAULT);
  CURL* curl = curl_easy_init();
  iotjobs::decoder dec;
  char buf[2048];
  int failures = 0;

  // StartNextPendingJobExecution: PUT /things/T/jobs/$next
  iotjobs::start_next_pending_job_execution_request next;
  next.thing_name = thing;
  next.step_timeout_in_minutes = 30;
  std::string job_id;
  std::int64_t version = 0;
  if (const auto req = iotjobs::https::encode_to_n(buf, next); !req) {
    std::fprintf(stderr, "encode: %s\n", iotjobs::message(req.error()).data());
    return 1;
  } else if (http_response res; send(curl, base, *req, res)) {
    const auto r = dec.decode(iotjobs::https::start_next_response,
                              {static_cast<int>(res.status), res.error_type, res.body});
    if (!r) {
      std::printf("  -> undecodable response: %s\n", iotjobs::message(r.error()).data());
      ++failures;
    } else if (r->error) {
      print_error(*r->error);
    } else if (!r->value->execution) {
      std::printf("  -> %ld, nothing pending\n", res.status);
    } else {
      const iotjobs::job_execution_view& x = *r->value->execution;
      job_id = std::string(x.job_id);
      version = x.version_number.value_or(0);
      const std::string_view doc = x.job_document ? x.job_document->json() : "{}";
      std::printf("  -> %ld, started %s version %lld, document %.*s\n", res.status, job_id.c_str(),
                  static_cast<long long>(version), static_cast<int>(doc.size()), doc.data());
    }
  } else {
    ++failures;
  }

  // UpdateJobExecution: POST /things/T/jobs/J
  if (!job_id.empty()) {
    iotjobs::update_job_execution_request update;
    update.thing_name = thing;
    update.job_id = job_id;
    update.status = iotjobs::update_status::succeeded;
    update.expected_version = version;
    update.include_job_execution_state = true;
    http_response res;
    const auto req = iotjobs::https::encode_to_n(buf, update);
    if (req && send(curl, base, *req, res)) {
      const auto r = dec.decode(iotjobs::https::update_response,
                                {static_cast<int>(res.status), res.error_type, res.body});
      if (!r) {
        std::printf("  -> undecodable response: %s\n", iotjobs::message(r.error()).data());
        ++failures;
      } else if (r->error) {
        print_error(*r->error);
        if (r->error->execution_state && r->error->execution_state->version_number)
          std::printf("     current version %lld\n",
                      static_cast<long long>(*r->error->execution_state->version_number));
      } else if (r->value->execution_state) {
        const auto& s = *r->value->execution_state;
        std::printf("  -> %ld, now %.*s\n", res.status, static_cast<int>(s.status_text.size()),
                    s.status_text.data());
      }
    } else {
      ++failures;
    }
  }

  curl_easy_cleanup(curl);
  curl_global_cleanup();
  return failures == 0 ? 0 : 1;
}
