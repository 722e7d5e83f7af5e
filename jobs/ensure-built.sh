# Sourced by the jobs/ scripts: builds the application jar and the runtime classpath file with Maven when either
# is missing or older than the sources. Sets $jar and $cp_file. Needs $top (the checkout).
jar="$top/target/taobao-villages-0.1.0-SNAPSHOT.jar"
cp_file="$top/target/runtime-classpath.txt"
if [[ ! -f $jar || ! -f $cp_file || -n "$(find "$top/src/main" "$top/conf" "$top/pom.xml" -newer "$jar" -print -quit)" ]]; then
  echo "building the application jar (first run downloads Spark's dependencies; a few minutes)..." >&2
  # package also writes the classpath file (pom.xml: maven-dependency-plugin, execution runtime-classpath).
  (cd "$top" && mvn -q -B -DskipTests package) >&2
fi
