// The practical floor for a fully validating decoder: simdjson On-Demand, walked by hand for each
// message, with the checks iotjobs makes and nothing generic. Every member is visited (On-Demand
// does not validate what it skips), keys are unescaped (which validates them), a known member may
// appear once, required members must be present, null optional members are absent, numbers must
// be in range, a job document is walked in full (and, sent as a string, parsed by a second
// parser), nesting is limited to 64 levels, and nothing may follow the top-level object.
#ifndef IOTJOBS_BENCH_ONDEMAND_WALK_HPP
#define IOTJOBS_BENCH_ONDEMAND_WALK_HPP

#include <simdjson.h>

#include <cstdlib>
#include <cstring>
#include <vector>

#include "plain.hpp"

namespace bench {

class ondemand_walk {
  using value = simdjson::ondemand::value;
  using object = simdjson::ondemand::object;

 public:
  ondemand_walk() {
    buffer_.resize(256 * 1024 + simdjson::SIMDJSON_PADDING);
    inner_buffer_.resize(256 * 1024 + simdjson::SIMDJSON_PADDING);
    if (parser_.allocate(256 * 1024) || inner_parser_.allocate(256 * 1024)) std::abort();
  }

  bool decode(std::string_view p, notify_next& out) {
    return run(p, [&](object& root) {
      unsigned seen = 0;
      out.has_execution = false;
      out.timestamp.reset();
      return members(root, 1, [&](std::string_view key, value& v) {
        if (key == "execution") return once(seen, 1) && execution_member(v, out);
        if (key == "timestamp") return once(seen, 2) && integer(v, out.timestamp);
        return validate(v, 2);
      });
    });
  }

  bool decode(std::string_view p, get_pending& out) {
    return run(p, [&](object& root) {
      unsigned seen = 0;
      out.in_progress.clear();
      out.queued.clear();
      out.timestamp.reset();
      out.client_token.reset();
      return members(root, 1, [&](std::string_view key, value& v) {
        if (key == "inProgressJobs") return once(seen, 1) && summaries(v, out.in_progress);
        if (key == "queuedJobs") return once(seen, 2) && summaries(v, out.queued);
        if (key == "timestamp") return once(seen, 4) && integer(v, out.timestamp);
        if (key == "clientToken") return once(seen, 8) && text(v, out.client_token);
        return validate(v, 2);
      });
    });
  }

  bool decode(std::string_view p, update_accepted& out) {
    return run(p, [&](object& root) {
      unsigned seen = 0;
      out.has_state = false;
      out.job_document.reset();
      out.timestamp.reset();
      out.client_token.reset();
      return members(root, 1, [&](std::string_view key, value& v) {
        if (key == "executionState") return once(seen, 1) && state(v, out.has_state, out.state);
        if (key == "jobDocument") return once(seen, 2) && job_document(v, 2, out.job_document);
        if (key == "timestamp") return once(seen, 4) && integer(v, out.timestamp);
        if (key == "clientToken") return once(seen, 8) && text(v, out.client_token);
        return validate(v, 2);
      });
    });
  }

  bool decode(std::string_view p, rejected& out) {
    return run(p, [&](object& root) {
      unsigned seen = 0;
      out.message.reset();
      out.client_token.reset();
      out.timestamp.reset();
      out.has_state = false;
      const bool ok = members(root, 1, [&](std::string_view key, value& v) {
        if (key == "code") {
          std::string_view code;
          if (!once(seen, 1) || v.get_string().get(code)) return false;
          out.code = iotjobs::rejection_code_from_wire(code);
          return true;
        }
        if (key == "message") return once(seen, 2) && text(v, out.message);
        if (key == "clientToken") return once(seen, 4) && text(v, out.client_token);
        if (key == "timestamp") return once(seen, 8) && integer(v, out.timestamp);
        if (key == "executionState") return once(seen, 16) && state(v, out.has_state, out.state);
        return validate(v, 2);
      });
      return ok && (seen & 1);
    });
  }

  bool decode(std::string_view p, describe_response& out) {
    return run(p, [&](object& root) {
      unsigned seen = 0;
      out.has_execution = false;
      return members(root, 1, [&](std::string_view key, value& v) {
        if (key == "execution") return once(seen, 1) && execution_member(v, out);
        return validate(v, 2);
      });
    });
  }

  // afr_ota, with the checks iotjobs makes: the required members, one signature per file,
  // protocols of MQTT and HTTP, the numbers' ranges.
  bool decode(std::string_view p, ota_update& out) {
    return run(p, [&](object& root) {
      unsigned seen = 0;
      out.protocols.clear();
      out.stream.reset();
      out.files.clear();
      const bool ok = members(root, 1, [&](std::string_view key, value& v) {
        if (key != "afr_ota") return validate(v, 2);
        object ota;
        if (!once(seen, 1) || v.get_object().get(ota)) return false;
        unsigned inner = 0;
        return members(ota, 2,
                       [&](std::string_view k, value& x) {
                         if (k == "protocols") return once(inner, 1) && protocols(x, out.protocols);
                         if (k == "streamname") return once(inner, 2) && text(x, out.stream);
                         if (k == "files") return once(inner, 4) && files(x, out.files);
                         return validate(x, 3);
                       }) &&
               (inner & 5) == 5 && !out.files.empty();
      });
      return ok && seen == 1;
    });
  }

 private:
  static constexpr std::size_t max_depth = 64;

  bool protocols(value& v, std::vector<std::string_view>& out) {
    simdjson::ondemand::array arr;
    if (v.get_array().get(arr)) return false;
    for (auto e : arr) {
      std::string_view s;
      if (e.error() || e.value_unsafe().get_string().get(s) || (s != "MQTT" && s != "HTTP") ||
          out.size() == 2 || (!out.empty() && out[0] == s))
        return false;
      out.push_back(s);
    }
    return !out.empty();
  }
  bool files(value& v, std::vector<ota_file>& out) {
    simdjson::ondemand::array arr;
    if (v.get_array().get(arr)) return false;
    for (auto e : arr) {
      object obj;
      if (e.error() || e.value_unsafe().get_object().get(obj)) return false;
      ota_file& f = out.emplace_back();
      f.signature_key = {};
      f.signature = {};
      unsigned seen = 0;
      opt_int size, id;
      const bool ok = members(obj, 4, [&](std::string_view key, value& x) {
        if (key == "filepath") return once(seen, 1) && text(x, f.path);
        if (key == "filesize") return once(seen, 2) && integer(x, size);
        if (key == "fileid") return once(seen, 4) && integer(x, id);
        if (key == "fileType") return once(seen, 8) && integer(x, f.file_type);
        if (key == "update_data_url") return once(seen, 16) && text(x, f.url);
        if (key == "auth_scheme") return once(seen, 32) && text(x, f.auth_scheme);
        if (key == "sig-sha1-rsa" || key == "sig-sha256-rsa" || key == "sig-sha1-ecdsa" ||
            key == "sig-sha256-ecdsa") {
          if (is_null(x)) return true;
          f.signature_key = key;
          return once(seen, 64) && !x.get_string().get(f.signature);
        }
        return validate(x, 5);
      });
      if (!ok || !size || !id || *size < 0 || *size > 0xFFFFFFFF || *id < 0 || *id > 255 ||
          (f.file_type && (*f.file_type < 0 || *f.file_type > 255)))
        return false;
      f.size = *size;
      f.id = *id;
    }
    return true;
  }

  template <class Root>
  bool run(std::string_view p, Root&& walk_root) {
    if (p.size() > 256 * 1024) return false;
    std::memcpy(buffer_.data(), p.data(), p.size());
    simdjson::ondemand::document doc;
    object root;
    if (parser_.iterate(buffer_.data(), p.size(), buffer_.size()).get(doc) ||
        doc.get_object().get(root) || !walk_root(root))
      return false;
    const char* rest = nullptr;
    return doc.current_location().get(rest) == simdjson::OUT_OF_BOUNDS;
  }

  static bool once(unsigned& seen, unsigned bit) {
    if (seen & bit) return false;
    seen |= bit;
    return true;
  }
  static bool is_null(value& v) {
    bool null = false;
    return !v.is_null().get(null) && null;
  }

  template <class Fn>
  bool members(object& obj, std::size_t depth, Fn&& fn) {
    if (depth > max_depth) return false;
    for (auto field : obj) {
      if (field.error()) return false;
      std::string_view key;
      if (field.value_unsafe().unescaped_key().get(key)) return false;
      if (!fn(key, field.value_unsafe().value())) return false;
    }
    return true;
  }

  bool text(value& v, opt_text& out) {
    if (is_null(v)) return out.reset(), true;
    std::string_view s;
    if (v.get_string().get(s)) return false;
    out = s;
    return true;
  }
  bool integer(value& v, opt_int& out) {
    if (is_null(v)) return out.reset(), true;
    std::int64_t i;
    if (v.get_int64().get(i)) return false;
    out = i;
    return true;
  }

  bool status(value& v, job_execution_status& out) {
    std::string_view s;
    if (v.get_string().get(s)) return false;
    out = iotjobs::job_execution_status_from_wire(s);
    return true;
  }

  bool details(value& v, std::size_t depth, bench::details& out) {
    out.clear();
    if (is_null(v)) return true;
    object obj;
    if (v.get_object().get(obj)) return false;
    out.present = true;
    return members(obj, depth, [&](std::string_view key, value& x) {
      std::string_view s;
      if (x.get_string().get(s)) return false;
      out.pairs.push_back({key, s});
      return true;
    });
  }

  bool execution(value& v, std::size_t depth, bench::execution& out) {
    object obj;
    if (v.get_object().get(obj)) return false;
    out.clear();
    unsigned seen = 0;
    const bool ok = members(obj, depth, [&](std::string_view key, value& x) {
      if (key == "jobId") return once(seen, 1) && !x.get_string().get(out.job_id);
      if (key == "status") return once(seen, 2) && status(x, out.status);
      if (key == "thingName") return once(seen, 4) && text(x, out.thing_name);
      if (key == "statusDetails") return once(seen, 8) && details(x, depth + 1, out.details);
      if (key == "queuedAt") return once(seen, 16) && integer(x, out.queued_at);
      if (key == "startedAt") return once(seen, 32) && integer(x, out.started_at);
      if (key == "lastUpdatedAt") return once(seen, 64) && integer(x, out.last_updated_at);
      if (key == "approximateSecondsBeforeTimedOut")
        return once(seen, 128) && integer(x, out.approximate_seconds_before_timed_out);
      if (key == "versionNumber") return once(seen, 256) && integer(x, out.version_number);
      if (key == "executionNumber") return once(seen, 512) && integer(x, out.execution_number);
      if (key == "jobDocument")
        return once(seen, 1024) && job_document(x, depth + 1, out.job_document);
      return validate(x, depth + 1);
    });
    return ok && (seen & 3) == 3;
  }

  // The top-level `execution` of notify-next and of the REST describe; null means none.
  template <class Out>
  bool execution_member(value& v, Out& out) {
    if (is_null(v)) return true;
    out.has_execution = true;
    return execution(v, 2, out.execution);
  }

  bool state(value& v, bool& has, bench::state& out) {
    has = false;
    if (is_null(v)) return true;
    object obj;
    if (v.get_object().get(obj)) return false;
    has = true;
    unsigned seen = 0;
    out.version_number.reset();
    out.details.clear();
    const bool ok = members(obj, 2, [&](std::string_view key, value& x) {
      if (key == "status") return once(seen, 1) && status(x, out.status);
      if (key == "statusDetails") return once(seen, 2) && details(x, 3, out.details);
      if (key == "versionNumber") return once(seen, 4) && integer(x, out.version_number);
      return validate(x, 3);
    });
    return ok && (seen & 1);
  }

  bool summaries(value& v, std::vector<summary>& out) {
    out.clear();
    if (is_null(v)) return true;
    simdjson::ondemand::array list;
    if (v.get_array().get(list)) return false;
    for (auto element : list) {
      object obj;
      if (element.error() || element.value_unsafe().get_object().get(obj)) return false;
      summary& s = out.emplace_back();
      unsigned seen = 0;
      const bool ok = members(obj, 3, [&](std::string_view key, value& x) {
        if (key == "jobId") return once(seen, 1) && !x.get_string().get(s.job_id);
        if (key == "queuedAt") return once(seen, 2) && integer(x, s.queued_at);
        if (key == "startedAt") return once(seen, 4) && integer(x, s.started_at);
        if (key == "lastUpdatedAt") return once(seen, 8) && integer(x, s.last_updated_at);
        if (key == "versionNumber") return once(seen, 16) && integer(x, s.version_number);
        if (key == "executionNumber") return once(seen, 32) && integer(x, s.execution_number);
        return validate(x, 4);
      });
      if (!ok || !(seen & 1)) return false;
    }
    return true;
  }

  // An object: walked in full, kept as its text. A string (HTTPS): its text parsed again.
  bool job_document(value& v, std::size_t depth, opt_text& out) {
    if (is_null(v)) return out.reset(), true;
    const char* start = v.raw_json_token().data();
    std::string_view s;
    if (!v.get_string().get(s)) {
      out = s;
      return inner_object(s);
    }
    object obj;
    if (v.get_object().get(obj) || !validate_object(obj, depth)) return false;
    const char* end = nullptr;
    if (v.current_location().get(end)) return false;
    std::size_t n = static_cast<std::size_t>(end - start);
    while (n > 0 && std::strchr(" \t\r\n", start[n - 1]))
      --n;
    out = std::string_view(start, n);
    return true;
  }

  bool inner_object(std::string_view s) {
    std::memcpy(inner_buffer_.data(), s.data(), s.size());
    simdjson::ondemand::document doc;
    object obj;
    if (inner_parser_.iterate(inner_buffer_.data(), s.size(), inner_buffer_.size()).get(doc) ||
        doc.get_object().get(obj) || !validate_object(obj, 1))
      return false;
    const char* rest = nullptr;
    return doc.current_location().get(rest) == simdjson::OUT_OF_BOUNDS;
  }

  bool validate_object(object& obj, std::size_t depth) {
    return members(obj, depth, [&](std::string_view, value& x) { return validate(x, depth + 1); });
  }

  // Any JSON value, in full.
  bool validate(value& v, std::size_t depth) {
    if (depth > max_depth) return false;
    simdjson::ondemand::json_type type;
    if (v.type().get(type)) return false;
    switch (type) {
      case simdjson::ondemand::json_type::object: {
        object obj;
        return !v.get_object().get(obj) && validate_object(obj, depth);
      }
      case simdjson::ondemand::json_type::array: {
        simdjson::ondemand::array list;
        if (v.get_array().get(list)) return false;
        for (auto element : list)
          if (element.error() || !validate(element.value_unsafe(), depth + 1)) return false;
        return true;
      }
      case simdjson::ondemand::json_type::string: {
        std::string_view s;
        return !v.get_string().get(s);
      }
      case simdjson::ondemand::json_type::number: {
        simdjson::ondemand::number n;
        return !v.get_number().get(n);
      }
      case simdjson::ondemand::json_type::boolean: {
        bool b;
        return !v.get_bool().get(b);
      }
      case simdjson::ondemand::json_type::null: return is_null(v);
    }
    return false;
  }

  simdjson::ondemand::parser parser_, inner_parser_;
  std::vector<char> buffer_, inner_buffer_;
};

}  // namespace bench

#endif  // IOTJOBS_BENCH_ONDEMAND_WALK_HPP
