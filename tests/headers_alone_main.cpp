// The program of the headers_alone test: its other translation units each include one public
// header alone (tests/meson.build). That they compile warning-free and link together (no header
// defines a non-inline function) is the test; running it only confirms that it was built.
int main() {
  return 0;
}
